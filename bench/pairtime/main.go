// Command pairtime runs two commands in turn, A B A B …, and prints each
// one's CPU time (user + sys), wall time and peak memory as min / median /
// max, with the ratio B/A of each pair: on a shared machine whose speed
// drifts, a ratio taken pair by pair holds better than two separate series.
//
//	go run ./bench/pairtime -n 5 -a 'why401 --format json big.har' -b 'jq -c . big.har'
//
// Output goes to /dev/null. The figures are the kernel's accounting of each
// finished process (rusage). The first line gives the load average before
// and after, so a reader can tell an idle machine from a busy one.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

type run struct{ cpu, wall, rssMB float64 }

func main() {
	n := flag.Int("n", 5, "counted runs of each command")
	warm := flag.Int("warmup", 1, "uncounted runs of each command first")
	a := flag.String("a", "", "command A (split on spaces; no shell)")
	b := flag.String("b", "", "command B, optional")
	label := flag.String("label", "", "a label printed with the figures")
	flag.Parse()
	if *a == "" {
		fmt.Fprintln(os.Stderr, "pairtime: -a is required")
		os.Exit(2)
	}
	cmds := [][]string{strings.Fields(*a)}
	if *b != "" {
		cmds = append(cmds, strings.Fields(*b))
	}
	before := load()
	res := make([][]run, len(cmds))
	for i := 0; i < *warm+*n; i++ {
		for c, argv := range cmds {
			r, err := once(argv)
			if err != nil {
				fmt.Fprintf(os.Stderr, "pairtime: %s: %v\n", argv[0], err)
				os.Exit(1)
			}
			if i >= *warm {
				res[c] = append(res[c], r)
			}
		}
	}
	fmt.Printf("%s  (%d runs each, load average %s before, %s after)\n", *label, *n, before, load())
	names := []string{"A", "B"}
	for c := range cmds {
		fmt.Printf("  %s %s\n", names[c], strings.Join(cmds[c], " "))
		fmt.Printf("    cpu  %s s\n    wall %s s\n    peak %s MB\n", mmm(res[c], func(r run) float64 { return r.cpu }),
			mmm(res[c], func(r run) float64 { return r.wall }), mmm(res[c], func(r run) float64 { return r.rssMB }))
	}
	if len(cmds) == 2 {
		var cpu, wall []run
		for i := range res[0] {
			cpu = append(cpu, run{cpu: res[1][i].cpu / res[0][i].cpu})
			wall = append(wall, run{cpu: res[1][i].wall / res[0][i].wall})
		}
		fmt.Printf("  B/A cpu  %s\n  B/A wall %s\n", mmm(cpu, func(r run) float64 { return r.cpu }), mmm(wall, func(r run) float64 { return r.cpu }))
	}
}

func once(argv []string) (run, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = nil
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			return run{}, err
		}
	}
	wall := time.Since(start).Seconds()
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if ru == nil {
		return run{wall: wall}, nil
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	return run{cpu: cpu, wall: wall, rssMB: float64(ru.Maxrss) / 1024}, nil
}

func mmm(rs []run, f func(run) float64) string {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	sort.Float64s(v)
	if len(v) == 0 {
		return "-"
	}
	med := v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return fmt.Sprintf("%.2f / %.2f / %.2f", v[0], med, v[len(v)-1])
}

func load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return f[0] + " " + f[1] + " " + f[2]
}
