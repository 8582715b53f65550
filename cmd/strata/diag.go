package main

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// writeDiags renders diagnostics the way Terraform does: a headline, the
// source snippet of the subject, then the detail. Colour is used only when
// w is a terminal. Sources are read from the working directory, or from
// the search root a name like <profiles/x.hcl> points into.
func writeDiags(w io.Writer, diags hcl.Diagnostics, roots map[string]fs.FS) {
	if len(diags) == 0 {
		return
	}
	files := map[string]*hcl.File{}
	for _, d := range diags {
		if d.Subject == nil {
			continue
		}
		name := d.Subject.Filename
		if _, ok := files[name]; ok {
			continue
		}
		files[name] = nil
		if src := readSource(name, roots); src != nil {
			files[name] = &hcl.File{Bytes: src}
		}
	}
	for n, f := range files {
		if f == nil {
			delete(files, n)
		}
	}
	width, color := 0, false
	if f, ok := w.(*os.File); ok && diagTerminal(f) {
		color = true
		width = 100
	}
	bw := bufio.NewWriter(w)
	tw := hcl.NewDiagnosticTextWriter(bw, files, uint(width), color)
	tw.WriteDiagnostics(diags)
	bw.Flush()
}

func readSource(name string, roots map[string]fs.FS) []byte {
	if strings.HasPrefix(name, "<") && strings.HasSuffix(name, ">") {
		root, rest, ok := strings.Cut(name[1:len(name)-1], "/")
		if !ok || roots[root] == nil {
			return nil
		}
		b, err := fs.ReadFile(roots[root], rest)
		if err != nil {
			return nil
		}
		return b
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	return b
}

// diagTerminal reports whether f is a character device, and TERM is not dumb.
func diagTerminal(f *os.File) bool {
	st, err := f.Stat()
	if err != nil || os.Getenv("TERM") == "dumb" || os.Getenv("NO_COLOR") != "" {
		return false
	}
	return st.Mode()&os.ModeCharDevice != 0
}
