package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/strata-build/strata/iso"
)

const mkisoUsage = `Usage: strata mkiso -o OUT.iso [--volume-id ID] [--bios-boot PATH] [--efi-boot PATH]
                    [--boot-catalog PATH] [--hybrid-mbr FILE] DIR

Writes DIR's tree as an ISO 9660 image with Rock Ridge and Joliet. PATHs
name files inside DIR, as mkisofs -b and -e do: --bios-boot a no-emulation
El Torito image (isolinux/isolinux.bin; load size 4, boot info table),
--efi-boot a FAT image for UEFI. --hybrid-mbr FILE is an isohybrid MBR
template (isohdpfx.bin) for booting from a USB stick; it needs --bios-boot.
SOURCE_DATE_EPOCH, when set, is every timestamp in the image. OUT.iso
appears only once complete.

Options:
`

// mkisoGCPercent is strata mkiso's garbage collection target (see
// runtime/debug.SetGCPercent) unless GOGC says otherwise.
const mkisoGCPercent = 25

func runMkiso(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("mkiso", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("o", "", "write the image to `OUT.iso` (required)")
	volID := fl.String("volume-id", "", "volume `ID`: up to 32 of A-Z, a-z, 0-9, _ and a few punctuation marks such as - and . (default ISOIMAGE)")
	strictID := fl.Bool("strict-volume-id", false, "allow only the d-characters A-Z, 0-9 and _ in the volume ID, as ECMA-119 asks")
	bios := fl.String("bios-boot", "", "BIOS no-emulation boot image, a `PATH` inside DIR")
	efi := fl.String("efi-boot", "", "UEFI FAT boot image, a `PATH` inside DIR")
	cat := fl.String("boot-catalog", "", "`PATH` of the El Torito catalog in the image (default: boot.cat next to the boot image)")
	mbr := fl.String("hybrid-mbr", "", "isohybrid MBR template `FILE` (isohdpfx.bin)")
	fl.Usage = func() {
		io.WriteString(fl.Output(), mkisoUsage)
		fl.PrintDefaults()
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fl.SetOutput(stdout)
			fl.Usage()
			return exitOK
		}
	}
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if *out == "" || fl.NArg() != 1 {
		fmt.Fprintln(stderr, "strata mkiso: need -o OUT.iso and exactly one DIR")
		fl.Usage()
		return exitUsage
	}
	dir := fl.Arg(0)
	fail := func(err error) int {
		fmt.Fprintf(stderr, "strata mkiso: %v\n", err)
		return exitConfig
	}
	if st, err := os.Stat(dir); err != nil {
		return fail(err)
	} else if !st.IsDir() {
		return fail(fmt.Errorf("%s is not a directory", dir))
	}
	mtime, err := iso.SourceDateEpoch(os.Getenv)
	if err != nil {
		return fail(err)
	}
	opts := &iso.Options{VolumeID: *volID, StrictVolumeID: *strictID, ModTime: mtime}
	if *bios != "" || *efi != "" || *mbr != "" || *cat != "" {
		b := &iso.Boot{BIOS: cleanInside(*bios), EFI: cleanInside(*efi), Catalog: cleanInside(*cat)}
		if *mbr != "" {
			if b.HybridMBR, err = os.ReadFile(*mbr); err != nil {
				return fail(fmt.Errorf("reading the hybrid MBR template: %w", err))
			}
		}
		opts.Boot = b
	}
	var bar *progressBar
	if isTerminal(stderr) {
		bar = &progressBar{w: stderr, name: filepath.Base(*out)}
		opts.Progress = bar.update
	}
	if os.Getenv("GOGC") == "" {
		// The writer keeps about 250 bytes per entry, which is most of
		// the live heap; collecting at 25% growth instead of 100% keeps
		// the process near that (100,000 files: about 52 MiB instead of
		// 70) and, unlike a fixed memory limit, never makes the collector
		// run all the time on a larger tree.
		defer debug.SetGCPercent(debug.SetGCPercent(mkisoGCPercent))
	}
	w := iso.NewWriter(opts)
	if err := w.AddFS(os.DirFS(dir)); err != nil {
		return fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = iso.WriteFile(ctx, *out, w)
	bar.finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "strata mkiso: interrupted; no image written")
			return exitConfig
		}
		return fail(err)
	}
	return exitOK
}

// cleanInside turns a PATH given for a file inside DIR into an entry path.
func cleanInside(p string) string {
	if p == "" {
		return ""
	}
	return strings.TrimPrefix(path.Clean("/"+p), "/")
}
