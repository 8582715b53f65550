package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command as a function, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("benchparse", flag.ContinueOnError)
	fset.SetOutput(stderr)
	jobs := fset.Int("j", runtime.GOMAXPROCS(0), "parse with `N` workers (1: one file after another)")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "Usage: benchparse [-j N] DIR\n\n"+
			"Parses every .hcl file below DIR with hclsyntax.ParseConfig and prints\n"+
			"\"FILES BYTES\". Exit status: 0 success, 1 read or parse errors, 2 wrong usage.\n\nFlags:\n")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() != 1 || *jobs < 1 {
		fset.Usage()
		return 2
	}
	root := fset.Arg(0)
	files, diags, err := parseAll(ctx, os.DirFS(root), *jobs)
	if err != nil {
		fmt.Fprintf(stderr, "benchparse: %v\n", err)
		return 1
	}
	if diags.HasErrors() {
		for _, d := range diags {
			fmt.Fprintf(stderr, "benchparse: %s: %s\n", d.Subject, d.Summary)
		}
		return 1
	}
	var n int64
	for _, f := range files {
		n += int64(len(f.Bytes))
	}
	fmt.Fprintf(stdout, "%d %d\n", len(files), n)
	runtime.KeepAlive(files)
	return 0
}

// parseAll parses every .hcl file of fsys with jobs workers and returns the
// files in path order, all alive at once. Diagnostics name files by their
// slash path inside fsys. The error is for walking and reading; parse
// errors come back as diagnostics, with the files that parsed.
func parseAll(ctx context.Context, fsys fs.FS, jobs int) ([]*hcl.File, hcl.Diagnostics, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".hcl") {
			paths = append(paths, p)
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, nil, err
	}
	if len(paths) == 0 {
		return nil, nil, errors.New("no .hcl file found")
	}
	type result struct {
		file  *hcl.File
		diags hcl.Diagnostics
		err   error
	}
	results := make([]result, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				src, err := fs.ReadFile(fsys, paths[i])
				if err != nil {
					results[i].err = err
					continue
				}
				results[i].file, results[i].diags = hclsyntax.ParseConfig(src, paths[i], hcl.InitialPos)
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var (
		files []*hcl.File
		diags hcl.Diagnostics
		errs  []error
	)
	for _, r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		diags = append(diags, r.diags...)
		if r.file != nil {
			files = append(files, r.file)
		}
	}
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		if a == nil || b == nil {
			return a != nil
		}
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	return files, diags, errors.Join(errs...)
}
