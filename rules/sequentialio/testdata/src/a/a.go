package a

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"
)

// --- positives ---

func fetchAll(urls []string) ([]int64, error) {
	sizes := make([]int64, len(urls))
	for i, u := range urls {
		resp, err := http.Get(u) // want `http.Get waits on the network in every iteration of a loop whose iterations are independent; issue the calls concurrently \(errgroup.Group with SetLimit\)`
		if err != nil {
			return nil, err
		}
		sizes[i] = resp.ContentLength
		resp.Body.Close()
	}
	return sizes, nil
}

func printStatus(urls []string) {
	for _, u := range urls {
		resp, err := http.Get(u) // want `http.Get waits on the network`
		if err != nil {
			fmt.Println(u, err)
			continue
		}
		defer resp.Body.Close()
		fmt.Println(u, resp.Status)
	}
}

func clientDo(ctx context.Context, c *http.Client, urls []string) (total int64, err error) {
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
		if err != nil {
			return 0, err
		}
		resp, err := c.Do(req) // want `c.Do waits on the network`
		if err != nil {
			return 0, err
		}
		total += resp.ContentLength
		resp.Body.Close()
	}
	return total, nil
}

func readAll(paths []string) ([][]byte, error) {
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p) // want `os.ReadFile waits on file I/O`
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		out = append(out, data)
	}
	return out, nil
}

func pages(n int) map[int]string {
	bodies := make(map[int]string)
	for i := 0; i < n; i++ {
		url := "https://example.com/page/" + strconv.Itoa(i)
		resp, err := http.Get(url) // want `http.Get waits on the network`
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		bodies[i] = string(b)
	}
	return bodies
}

func dialAll(addrs []string) int {
	up := 0
	for _, a := range addrs {
		c, err := net.Dial("tcp", a) // want `net.Dial waits on the network`
		if err != nil {
			continue
		}
		c.Close()
		up++
	}
	return up
}

type user struct{ Name string }

func loadUsers(db *sql.DB, ids []int) ([]user, error) {
	users := make([]user, len(ids))
	for i, id := range ids {
		row := db.QueryRow("SELECT name FROM users WHERE id = ?", id) // want `db.QueryRow waits on the database`
		if err := row.Scan(&users[i].Name); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// The retry loop inside does not hide the independent outer loop.
func fetchWithRetry(urls []string) []int {
	codes := make([]int, len(urls))
	for i, u := range urls {
		for attempt := 0; attempt < 3; attempt++ {
			resp, err := http.Get(u) // want `http.Get waits on the network`
			if err == nil {
				codes[i] = resp.StatusCode
				resp.Body.Close()
				break
			}
		}
	}
	return codes
}

func decodeEach(urls []string) ([]map[string]any, error) {
	var out []map[string]any
	for _, u := range urls {
		resp, err := http.Get(u) // want `http.Get waits on the network`
		if err != nil {
			return nil, err
		}
		var v map[string]any
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// --- near-misses: must stay silent ---

func already(urls []string) error {
	var g errgroup.Group
	g.SetLimit(4)
	for _, u := range urls {
		g.Go(func() error {
			resp, err := http.Get(u)
			if err != nil {
				return err
			}
			return resp.Body.Close()
		})
	}
	return g.Wait()
}

func alreadyGo(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, err := http.Get(u); err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
}

func once(u string) {
	for _, x := range []string{u} {
		if resp, err := http.Get(x); err == nil {
			resp.Body.Close()
		}
	}
	for i := 0; i < 1; i++ {
		if resp, err := http.Get(u + strconv.Itoa(i)); err == nil {
			resp.Body.Close()
		}
	}
}

func retry(u string) (*http.Response, error) {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		var resp *http.Response
		resp, err = http.Get(u)
		if err == nil {
			return resp, nil
		}
	}
	return nil, err
}

func retryBreak(u string) (resp *http.Response, err error) {
	for i := range 3 {
		_ = i
		resp, err = http.Get(u)
		if err == nil && resp.StatusCode == 200 {
			break
		}
	}
	return resp, err
}

func paginate(u string) []string {
	var items []string
	for u != "" {
		resp, err := http.Get(u)
		if err != nil {
			break
		}
		u = resp.Header.Get("Link")
		items = append(items, resp.Status)
		resp.Body.Close()
	}
	return items
}

func paginateRange(first string, max int) []string {
	next := first
	var items []string
	for i := 0; i < max; i++ {
		resp, err := http.Get(next + "?page=" + strconv.Itoa(i))
		if err != nil {
			return items
		}
		next = resp.Header.Get("Link")
		resp.Body.Close()
	}
	return items
}

func firstReachable(addrs []string) net.Conn {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err == nil {
			return c
		}
	}
	return nil
}

func firstReachableContinue(addrs []string) (net.Conn, error) {
	var lastErr error
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err != nil {
			lastErr = err
			continue
		}
		return c, nil
	}
	return nil, lastErr
}

func hashFiles(paths []string) ([]byte, error) {
	h := sha256.New()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		h.Write(data)
	}
	return h.Sum(nil), nil
}

func concat(w io.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeLines(out *bufio.Writer, urls []string) {
	for _, u := range urls {
		if resp, err := http.Get(u); err == nil {
			fmt.Fprintln(out, resp.Status)
			resp.Body.Close()
		}
	}
}

func sameURL(u string, n int) {
	for i := 0; i < n; i++ {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
		}
	}
}

func lines(r *bufio.Scanner) {
	for r.Scan() {
		_, _ = os.ReadFile(r.Text())
	}
}

func fromChan(ch chan string) {
	for u := range ch {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
		}
	}
}

var lastStatus string

func globalWrite(urls []string) {
	for _, u := range urls {
		if resp, err := http.Get(u); err == nil {
			lastStatus = resp.Status
			resp.Body.Close()
		}
	}
}

func prevInput(urls []string) {
	prev := ""
	for _, u := range urls {
		resp, err := http.Get(u + prev)
		if err != nil {
			return
		}
		prev = resp.Status
		resp.Body.Close()
	}
}

func decodeShared(urls []string) (map[string]any, error) {
	var v map[string]any
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		err = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	return v, nil
}

func inductionChanged(n int) {
	for i := 0; i < n; i++ {
		if resp, err := http.Get(strconv.Itoa(i)); err == nil {
			resp.Body.Close()
			i++
		}
	}
}

func goto_(urls []string) {
	for _, u := range urls {
		if _, err := http.Get(u); err == nil {
			goto done
		}
	}
done:
}

func sendEach(urls []string, out chan<- string) {
	for _, u := range urls {
		if resp, err := http.Get(u); err == nil {
			out <- resp.Status
		}
	}
}

// --- through helpers ---

func fetch(client *http.Client, url string) (int, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return len(b), err
}

func fetchTwice(client *http.Client, url string) (int, error) {
	n, err := fetch(client, url)
	if err != nil {
		return 0, err
	}
	return n * 2, nil
}

func demo(client *http.Client, base string, n int) int {
	total := 0
	for i := 0; i < n; i++ {
		size, err := fetch(client, fmt.Sprintf("%s/page/%d", base, i)) // want `fetch \(through client.Get\) waits on the network in every iteration`
		if err != nil {
			return 0
		}
		total += size
	}
	return total
}

func demoNested(client *http.Client, urls []string) (sizes []int) {
	for _, u := range urls {
		n, _ := fetchTwice(client, u) // want `fetchTwice \(through client.Get\) waits on the network`
		sizes = append(sizes, n)
	}
	return sizes
}

var fetched int

func fetchCounting(url string) error {
	fetched++
	_, err := http.Get(url)
	return err
}

func helperWithEffects(urls []string) {
	for _, u := range urls {
		_ = fetchCounting(u)
	}
}

type stats struct{ bytes int }

func fetchInto(s *stats, url string) {
	if resp, err := http.Get(url); err == nil {
		s.bytes += int(resp.ContentLength)
	}
}

func helperSharedPointer(urls []string) stats {
	s := &stats{}
	for _, u := range urls {
		fetchInto(s, u)
	}
	return *s
}

func record(seen map[string]bool, key string) { seen[key] = true }

func sharedMapCall(urls []string) map[string]bool {
	seen := map[string]bool{}
	for _, u := range urls {
		if resp, err := http.Get(u); err == nil {
			record(seen, resp.Status)
		}
	}
	return seen
}

func spawnsInHelper(url string) {
	go func() { _, _ = http.Get(url) }()
}

func helperSpawns(urls []string) {
	for _, u := range urls {
		spawnsInHelper(u)
	}
}

// A scratch buffer shared by the iterations does not carry state.
func sizes(paths []string) (int, error) {
	total := 0
	buf := make([]byte, 512)
	for _, p := range paths {
		f, err := os.Open(p) // want `os.Open waits on file I/O`
		if err != nil {
			return 0, err
		}
		for {
			n, err := f.Read(buf)
			total += n
			if err != nil {
				break
			}
		}
		f.Close()
	}
	return total, nil
}

// But a buffer that keeps data across iterations does.
func keep(paths []string) ([]byte, error) {
	var all []byte
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		all, err = io.ReadAll(io.MultiReader(f, bytesReader(all)))
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return all, nil
}

func bytesReader(b []byte) io.Reader { return nil }

// Later files override earlier ones through package state: order matters.
var mimeTypes sync.Map

func setType(ext, typ string) { mimeTypes.Store(ext, typ) }

func loadFile(name string) {
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		setType(sc.Text(), name)
	}
}

func loadAll(names []string) {
	for _, n := range names {
		loadFile(n)
	}
}

var exitCode int

func report(err error) {
	fmt.Fprintln(os.Stderr, err)
	exitCode = 2
}

func process(path string, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(out, f)
	return err
}

func processAll(paths []string) {
	for _, p := range paths {
		if err := process(p, os.Stdout); err != nil {
			report(err)
		}
	}
}

// Standard error through fmt is fine.
func warnEach(paths []string) {
	for _, p := range paths {
		if _, err := os.ReadFile(p); err != nil { // want `os.ReadFile waits on file I/O`
			fmt.Fprintln(os.Stderr, p, err)
		}
	}
}

// Statements that write usually depend on their order.
func createTables(db *sql.DB, script []string) error {
	for _, q := range script {
		if _, err := db.Exec(q); err != nil {
			return err
		}
	}
	return nil
}

// --- a callee that prints and exits (decided by loopdep) ---

func fetchOrDie(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		log.Fatalf("fetch %s: %v", u, err)
	}
	defer resp.Body.Close()
	fmt.Println(u, resp.Status)
	return resp.StatusCode
}

// Concurrently, a different failure would end the program, after other
// iterations printed: silent.
func allOrDie(urls []string) []int {
	codes := make([]int, len(urls))
	for i, u := range urls {
		codes[i] = fetchOrDie(u)
	}
	return codes
}

// log.Fatal(err) in the body on an error path moves after the concurrent
// part (if err := g.Wait(); err != nil { log.Fatal(err) }): reported.
func dieOnError(paths []string) [][]byte {
	out := make([][]byte, len(paths))
	for i, p := range paths {
		b, err := os.ReadFile(p) // want `os.ReadFile waits on file I/O`
		if err != nil {
			log.Fatal(err)
		}
		out[i] = b
	}
	return out
}

func fetchAndPrint(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		fmt.Println(u, err)
		return 0
	}
	defer resp.Body.Close()
	fmt.Println(u, resp.Status)
	return resp.StatusCode
}

// Printing alone is kept in order by collecting results: still reported.
func allPrinted(urls []string) []int {
	codes := make([]int, len(urls))
	for i, u := range urls {
		codes[i] = fetchAndPrint(u) // want `fetchAndPrint \(through http.Get\) waits on the network`
	}
	return codes
}

// A shared *rand.Rand picks the mirror: the sequence depends on the order.
func mirrors(r *rand.Rand, paths []string, hosts []string) {
	for _, p := range paths {
		h := hosts[r.Intn(len(hosts))]
		if resp, err := http.Get(h + p); err == nil {
			resp.Body.Close()
		}
	}
}

// A loop inside a goroutine still waits on each call in turn.
func background(urls []string, done chan<- struct{}) {
	go func() {
		for _, u := range urls {
			if resp, err := http.Get(u); err == nil { // want `http.Get waits on the network`
				resp.Body.Close()
			}
		}
		done <- struct{}{}
	}()
}

// Ending the program on a condition that is not an error: silent.
func dieOnStatus(urls []string) []int {
	codes := make([]int, len(urls))
	for i, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			log.Fatalf("%s: %s", u, resp.Status)
		}
		codes[i] = resp.StatusCode
	}
	return codes
}

// bodySizes is the plain shape: fetch, read the body, store by index.
func bodySizes(urls []string) ([]int, error) {
	out := make([]int, len(urls))
	for i, u := range urls {
		resp, err := http.Get(u) // want `http.Get waits on the network`
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		n := len(b)
		out[i] = n
	}
	return out, nil
}
