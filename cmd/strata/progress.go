package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws "name [#####.....] 42% 120/285 MiB" on one terminal
// line. A nil *progressBar draws nothing.
type progressBar struct {
	w       io.Writer
	name    string
	last    int
	started bool
}

func (b *progressBar) update(done, total int64) {
	if total <= 0 {
		return
	}
	pct := int(done * 100 / total)
	if b.started && pct == b.last {
		return
	}
	b.started, b.last = true, pct
	const width = 30
	fill := pct * width / 100
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%% %d/%d MiB", b.name, strings.Repeat("#", fill), strings.Repeat(".", width-fill),
		pct, done>>20, total>>20)
}

func (b *progressBar) finish() {
	if b != nil && b.started {
		fmt.Fprintln(b.w)
	}
}
