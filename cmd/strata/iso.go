package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/iso"
	"github.com/strata-build/strata/media"
	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

const isoUsage = `Usage: strata iso -o OUT.iso [--arg NAME=VALUE]... MODULE...

Evaluates the modules together (with the profiles search root registered,
so a module may import <profiles/installer.hcl>) and writes the bootable
ISO 9660 image the merged configuration describes: the kernel, initrd and
boot loader files of boot.files, boot menus generated from the
configuration, isoImage.contents, and the merged configuration itself as
JSON at /strata/config.json.

The image is written to a temporary file next to OUT.iso and renamed into
place when complete: on any error OUT.iso is left as it was. File dates are
SOURCE_DATE_EPOCH when set, else 1980-01-01, so the same inputs give the
same bytes. On a terminal, a progress bar goes to standard error.

Exit status: 0 success, 1 errors in the configuration or its inputs, 2 wrong
usage.

Flags:
`

func runISO(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("iso", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("o", "", "write the image to `OUT.iso`")
	var margs mediaArgs
	fl.Var(&margs, "arg", "pass `NAME=VALUE` to the modules as arg.NAME, a string (repeatable)")
	fl.Usage = func() {
		fmt.Fprint(fl.Output(), isoUsage)
		fl.PrintDefaults()
	}
	if code, done := parseMediaFlags(fl, args, stdout); done {
		return code
	}
	if *out == "" || fl.NArg() == 0 {
		fmt.Fprintln(stderr, "strata iso: need -o OUT.iso and at least one MODULE")
		fl.Usage()
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	spec, code := mediaSpec(ctx, fl.Args(), margs, stderr)
	if spec == nil {
		return code
	}
	layout, diags := media.Plan(ctx, spec)
	printMediaDiags(stderr, diags)
	if diags.HasErrors() {
		return exitConfig
	}
	var bar *mediaProgressBar
	var progress func(done, total int64)
	if mediaIsTerminal(stderr) {
		bar = &mediaProgressBar{w: stderr, name: *out}
		progress = bar.update
	}
	w, err := layout.NewWriter(progress)
	if err == nil {
		err = iso.WriteFile(ctx, *out, w)
	}
	bar.finish()
	if err != nil {
		fmt.Fprintf(stderr, "strata iso: %v\n", err)
		return exitConfig
	}
	size, _ := w.Size()
	fmt.Fprintf(stdout, "wrote %s (%d bytes, volume ID %s)\n", *out, size, spec.VolumeID)
	if spec.Config != nil {
		fmt.Fprintf(stdout, "%s sha256 %x\n", media.ConfigPath, sha256.Sum256(spec.Config))
	}
	return exitOK
}

// parseMediaFlags parses args and handles --help; done says the command is
// over, with exit status code.
func parseMediaFlags(fl *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	err := fl.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fl.SetOutput(stdout)
		fl.Usage()
		return exitOK, true
	case err != nil:
		return exitUsage, true
	}
	return 0, false
}

// mediaSpec evaluates the modules and decodes the media options, printing
// every diagnostic. It returns nil and the exit status on errors.
func mediaSpec(ctx context.Context, modules []string, args mediaArgs, stderr io.Writer) (*media.Spec, int) {
	cfg := &merge.Config{
		Roots: map[string]fs.FS{profiles.Root: profiles.FS()},
		Args:  args.values(),
	}
	r, diags := cfg.EvalContext(ctx, modules...)
	printMediaDiags(stderr, diags)
	if diags.HasErrors() {
		return nil, exitConfig
	}
	printMediaDiags(stderr, r.Warnings())
	spec, diags := media.FromResult(r)
	printMediaDiags(stderr, diags)
	if diags.HasErrors() {
		return nil, exitConfig
	}
	spec.ModTime, _ = iso.SourceDateEpoch(os.Getenv)
	return spec, exitOK
}

// mediaArgs collects --arg NAME=VALUE flags.
type mediaArgs []string

func (a *mediaArgs) String() string { return strings.Join(*a, " ") }

func (a *mediaArgs) Set(s string) error {
	name, _, ok := strings.Cut(s, "=")
	if !ok || !hclsyntaxValidIdentifier(name) {
		return fmt.Errorf("want NAME=VALUE, with NAME an identifier, not %q", s)
	}
	*a = append(*a, s)
	return nil
}

func (a mediaArgs) values() map[string]cty.Value {
	m := map[string]cty.Value{}
	for _, s := range a {
		name, value, _ := strings.Cut(s, "=")
		m[name] = cty.StringVal(value)
	}
	return m
}

func hclsyntaxValidIdentifier(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return s != ""
}

// printMediaDiags renders diagnostics with their source lines.
func printMediaDiags(w io.Writer, diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	files := map[string]*hcl.File{}
	for _, d := range diags {
		for _, r := range []*hcl.Range{d.Subject, d.Context} {
			if r == nil || files[r.Filename] != nil {
				continue
			}
			if src, err := os.ReadFile(r.Filename); err == nil {
				files[r.Filename] = &hcl.File{Bytes: src}
			}
		}
	}
	tw := hcl.NewDiagnosticTextWriter(w, files, 80, false)
	tw.WriteDiagnostics(diags)
}

// mediaIsTerminal reports whether w is a terminal.
func mediaIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// mediaProgressBar draws "name [#####.....] 42% 120/285 MiB" on one terminal
// line. A nil *mediaProgressBar draws nothing.
type mediaProgressBar struct {
	w       io.Writer
	name    string
	last    int
	started bool
}

func (b *mediaProgressBar) update(done, total int64) {
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

func (b *mediaProgressBar) finish() {
	if b != nil && b.started {
		fmt.Fprintln(b.w)
	}
}
