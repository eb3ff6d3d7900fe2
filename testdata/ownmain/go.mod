module example.com/ownmain

go 1.26

require example.com/ownlib v0.0.0

replace example.com/ownlib => ../ownlib
