// Command gjsonwalk is the floor issue 19 measures why401 against: read a
// HAR whole and walk its entries with gjson, picking the failing ones'
// URLs, and nothing else (no analysis, no report).
//
//	go run ./bench/gjsonwalk big.har
package main

import (
	"fmt"
	"os"

	"github.com/tidwall/gjson"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gjsonwalk FILE.har")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gjsonwalk:", err)
		os.Exit(2)
	}
	n, failing := 0, 0
	gjson.GetBytes(data, "log.entries").ForEach(func(_, e gjson.Result) bool {
		n++
		if e.Get("response.status").Int() >= 400 {
			failing++
			_ = e.Get("request.url").String()
		}
		return true
	})
	fmt.Println(n, "entries,", failing, "failing")
}
