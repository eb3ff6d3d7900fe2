module example.com/ownlib

go 1.26
