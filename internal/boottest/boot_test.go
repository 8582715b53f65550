package boottest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strata-build/strata/iso"
	"github.com/strata-build/strata/iso/fat"
)

// epoch is the fixed time of every image: 1980-01-01, the fixture's default.
var epoch = time.Unix(315532800, 0).UTC()

// checked are the files the booted kernel reads back (strata.check=).
var checked = []string{"/boot/grub/grub.cfg", "/boot/efiboot.img", "/boot/initrd.img"}

// modes are bootcheck's ways to boot an image.
var modes = []string{"bios", "uefi", "usb-bios", "usb-uefi"}

// fixtureDir is where TestMain's process builds the fixture, once.
var fixture struct {
	once sync.Once
	dir  string
	out  []byte
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

// inCI reports whether missing tools must fail the test instead of skipping.
func inCI() bool { return os.Getenv("CI") != "" }

// skipOrFail skips the test, saying why, or fails it under CI.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if inCI() {
		t.Fatalf(format+" (CI is set, so this test must run)", args...)
	}
	t.Skipf("skipping: "+format, args...)
}

// sharedTools returns ../shared/tools, relative to the repository root.
func sharedTools(t *testing.T) string {
	t.Helper()
	tools := filepath.Join(repoRoot(t), "..", "shared", "tools")
	for _, name := range []string{"make-boot-fixture", "bootcheck", "isocheck"} {
		if _, err := os.Stat(filepath.Join(tools, name)); err != nil {
			skipOrFail(t, "../shared/tools/%s is absent (the shared tools sit next to the repository)", name)
		}
	}
	return tools
}

// repoRoot returns the directory of go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	return dir
}

// installFlag is the shared tools' --install under CI (which runs as root
// on a fresh machine), else nothing.
func installFlag() []string {
	if inCI() {
		return []string{"--install"}
	}
	return nil
}

// installed guards installTools: apt-get takes a lock, so the parallel
// boots must not each install.
var installed struct {
	once sync.Once
	out  []byte
}

// installTools, under CI, lets isocheck and bootcheck install what they
// need, once and one after the other, before the parallel checks run
// without --install. bootcheck has no install-only mode: it installs before
// it looks at its image, so it is given one that does not exist and its
// failure is expected; whether QEMU is there afterwards is what counts.
func installTools(t *testing.T, tools string) {
	t.Helper()
	if !inCI() {
		return
	}
	installed.once.Do(func() {
		out, _ := exec.Command(filepath.Join(tools, "isocheck"), "--install").CombinedOutput()
		installed.out = append(installed.out, out...)
		none := filepath.Join(os.TempDir(), "strata-boottest-no-such.iso")
		out, _ = exec.Command(filepath.Join(tools, "bootcheck"), "--install", "--mode", "uefi", none).CombinedOutput()
		installed.out = append(installed.out, out...)
	})
	if _, err := exec.LookPath("qemu-system-x86_64"); err != nil {
		t.Fatalf("bootcheck --install did not bring qemu-system-x86_64:\n%s", installed.out)
	}
}

// makeFixture builds the fixture the first time it is called.
func makeFixture(t *testing.T, tools string) string {
	t.Helper()
	fixture.once.Do(func() {
		fixture.dir, fixture.err = os.MkdirTemp("", "strata-boottest-")
		if fixture.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		args := append(installFlag(), filepath.Join(fixture.dir, "fx"))
		cmd := exec.CommandContext(ctx, filepath.Join(tools, "make-boot-fixture"), args...)
		fixture.out, fixture.err = cmd.CombinedOutput()
	})
	if fixture.err != nil {
		if !inCI() && bytes.Contains(fixture.out, []byte("run with --install")) {
			t.Skipf("skipping: make-boot-fixture lacks tools:\n%s", fixture.out)
		}
		t.Fatalf("make-boot-fixture: %v\n%s", fixture.err, fixture.out)
	}
	return filepath.Join(fixture.dir, "fx")
}

// needQEMU skips (or fails under CI, where bootcheck --install brings it)
// when QEMU is missing.
func needQEMU(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("qemu-system-x86_64"); err != nil && !inCI() {
		t.Skip("skipping: qemu-system-x86_64 not found (Debian packages qemu-system-x86 and ovmf)")
	}
}

// withParams returns a boot loader config with params added to every line
// whose first word is keyword (APPEND for isolinux, linux for GRUB).
func withParams(t *testing.T, cfg []byte, keyword, params string) []byte {
	t.Helper()
	var out bytes.Buffer
	n := 0
	for _, line := range strings.SplitAfter(string(cfg), "\n") {
		body := strings.TrimRight(line, "\n")
		if f := strings.Fields(body); len(f) > 0 && f[0] == keyword {
			body += " " + params
			n++
		}
		out.WriteString(body)
		if strings.HasSuffix(line, "\n") {
			out.WriteString("\n")
		}
	}
	if n == 0 {
		t.Fatalf("no %s line in the fixture's config:\n%s", keyword, cfg)
	}
	return out.Bytes()
}

// image is a built ISO and what the booted kernel must read back from it.
type image struct {
	path   string
	sha256 map[string]string // path in the image -> hex sha256
}

// source is one file of the image's tree.
type source struct {
	path string
	size int64
	open func() (io.ReadCloser, error)
}

func bytesSource(p string, b []byte) source {
	return source{path: p, size: int64(len(b)), open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b)), nil
	}}
}

func fileSource(t *testing.T, p, name string) source {
	t.Helper()
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return source{path: p, size: info.Size(), open: func() (io.ReadCloser, error) { return os.Open(name) }}
}

// params is what the tests add to the kernel command line: strata.check=
// names the files for the booted kernel to read back, and no_timer_check
// skips Linux's check that the IO-APIC timer ticks, which an
// emulated CPU on a busy host can fail ("IO-APIC + timer doesn't work!",
// a panic before /init), as guests on virtual machines commonly do.
var params = "no_timer_check strata.check=" + strings.Join(checked, ",")

// tree returns the files of a live image laid out as make-reference-iso
// does: boot files from dir, the two boot loader configs, the marker file
// and the EFI System Partition image esp.
func tree(t *testing.T, dir string, isolinuxCfg, grubCfg []byte, esp source) []source {
	t.Helper()
	return []source{
		fileSource(t, "isolinux/isolinux.bin", filepath.Join(dir, "isolinux.bin")),
		fileSource(t, "isolinux/ldlinux.c32", filepath.Join(dir, "ldlinux.c32")),
		bytesSource("isolinux/isolinux.cfg", isolinuxCfg),
		fileSource(t, "boot/vmlinuz", filepath.Join(dir, "vmlinuz")),
		fileSource(t, "boot/initrd.img", filepath.Join(dir, "initrd.img")),
		bytesSource("boot/grub/grub.cfg", grubCfg),
		bytesSource("boot/grub/strata.tag", nil),
		esp,
	}
}

// fixtureTree is tree with the fixture's configs, params added.
func fixtureTree(t *testing.T, fx string, esp source) []source {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(fx, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return tree(t, fx, withParams(t, read("isolinux.cfg"), "APPEND", params),
		withParams(t, read("grub.cfg"), "linux", params), esp)
}

// fatESP makes the EFI System Partition image with the iso/fat builder.
func fatESP(t *testing.T, fx string) source {
	t.Helper()
	loader := fileSource(t, "EFI/BOOT/BOOTX64.EFI", filepath.Join(fx, "BOOTX64.EFI"))
	im, err := (&fat.Config{Label: "STRATA_EFI", ModTime: epoch}).Plan([]fat.Entry{
		{Path: loader.path, Size: loader.size, Open: loader.open},
	})
	if err != nil {
		t.Fatal(err)
	}
	return source{path: "boot/efiboot.img", size: im.Size(), open: im.Open}
}

// build writes the image with the iso Go API to w.
func build(ctx context.Context, w io.Writer, files []source, isohdpfx []byte) error {
	iw := iso.NewWriter(&iso.Options{
		VolumeID:    "STRATA_LIVE",
		Publisher:   "strata",
		Application: "strata",
		ModTime:     epoch,
		Boot: &iso.Boot{
			BIOS:      "isolinux/isolinux.bin",
			Catalog:   "isolinux/boot.cat",
			EFI:       "boot/efiboot.img",
			HybridMBR: isohdpfx,
		},
	})
	for _, f := range files {
		if err := iw.Add(iso.Entry{Path: f.path, Mode: 0o644, Size: f.size, Open: f.open}); err != nil {
			return err
		}
	}
	_, err := iw.WriteContext(ctx, w)
	return err
}

// buildImage writes the image to a file and notes the sha256 of the files
// the kernel will read back.
func buildImage(t *testing.T, fx string, files []source) image {
	t.Helper()
	isohdpfx, err := os.ReadFile(filepath.Join(fx, "isohdpfx.bin"))
	if err != nil {
		t.Fatal(err)
	}
	img := image{path: filepath.Join(t.TempDir(), "live.iso")}
	f, err := os.Create(img.path)
	if err != nil {
		t.Fatal(err)
	}
	err = build(context.Background(), f, files, isohdpfx)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("building %s: %v", img.path, err)
	}
	img.sha256 = checkedSums(t, files)
	return img
}

// checkedSums returns the sha256 of the files the kernel reads back.
func checkedSums(t *testing.T, files []source) map[string]string {
	t.Helper()
	sums := map[string]string{}
	for _, s := range files {
		for _, c := range checked {
			if "/"+s.path != c {
				continue
			}
			r, err := s.open()
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.New()
			_, err = io.Copy(h, r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			sums[c] = hex.EncodeToString(h.Sum(nil))
		}
	}
	if len(sums) != len(checked) {
		t.Fatalf("the tree lacks some of %v", checked)
	}
	return sums
}

// stage writes the tree to a directory, for isocheck --compare-dir.
func stage(t *testing.T, files []source) string {
	t.Helper()
	dir := t.TempDir()
	for _, s := range files {
		name := filepath.Join(dir, filepath.FromSlash(s.path))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := s.open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Modes as the image has them, whatever the umask.
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o755)
		}
		return os.Chmod(p, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs a shared tool and returns its output; it fails the test when
// the tool fails.
func run(t *testing.T, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v after %.1f s\n%s", filepath.Base(name), strings.Join(args, " "), err, time.Since(start).Seconds(), out)
	}
	return string(out)
}

func TestBoot(t *testing.T) {
	tools := sharedTools(t)
	installTools(t, tools)
	needQEMU(t)
	fx := makeFixture(t, tools)

	// The ESP is read in the UEFI modes only, so the fixture's ESP is booted
	// in those; TestMkiso boots the same tree with a FAT-built ESP in all
	// four modes, which covers the BIOS modes. Boots under emulation are
	// CI's slowest tests: each one here shows something the others do not.
	tests := []struct {
		name  string
		esp   func(t *testing.T) source
		modes []string
	}{
		{name: "fixture-esp", modes: []string{"uefi", "usb-uefi"}, esp: func(t *testing.T) source {
			return fileSource(t, "boot/efiboot.img", filepath.Join(fx, "efiboot.img"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := fixtureTree(t, fx, tc.esp(t))
			img := buildImage(t, fx, files)
			src := stage(t, files)

			checkImage(t, tools, img, src, tc.modes, nil)
		})
	}
}

// checkImage runs isocheck on the image (comparing it with the staged tree
// src) and boots it in each mode, all as parallel subtests. Each boot must
// show the kernel command line with params and extra, the medium of the
// mode's kind, and the sha256 of every checked file as the kernel read it.
func checkImage(t *testing.T, tools string, img image, src string, modes, extra []string) {
	t.Run("isocheck", func(t *testing.T) {
		t.Parallel()
		args := []string{"--expect-rr", "--expect-joliet", "--expect-eltorito",
			"--expect-hybrid", "--compare-dir", src, img.path}
		out := run(t, 5*time.Minute, filepath.Join(tools, "isocheck"), args...)
		if !regexp.MustCompile(`(?m)^isocheck: \d+ passed, 0 failed$`).MatchString(out) {
			t.Errorf("isocheck did not report 0 failed:\n%s", out)
		}
		t.Logf("isocheck:\n%s", out)
	})
	for _, mode := range modes {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			medium := `/dev/sr[0-9]+` // a CD-ROM
			if strings.HasPrefix(mode, "usb-") {
				medium = `/dev/sd[a-z]+` // a USB disk
			}
			args := []string{"--mode", mode, "--timeout", "400",
				"--expect-line", `^STRATA-CMDLINE: .* ` + regexp.QuoteMeta(params),
				"--expect-line", `^STRATA-MEDIUM: ` + medium + `$`}
			for _, e := range extra {
				args = append(args, "--expect-line", `^STRATA-CMDLINE: .* `+regexp.QuoteMeta(e))
			}
			for _, c := range checked {
				args = append(args, "--expect-line", fmt.Sprintf("^STRATA-FILE %s %s$", regexp.QuoteMeta(c), img.sha256[c]))
			}
			args = append(args, img.path)
			out := run(t, 10*time.Minute, filepath.Join(tools, "bootcheck"), args...)
			if !strings.Contains(out, "bootcheck: 1 passed, 0 failed") {
				t.Errorf("bootcheck did not pass:\n%s", out)
			}
			if m := regexp.MustCompile(`found "STRATA-BOOT-OK".*after [0-9.]+ s`).FindString(out); m != "" {
				t.Logf("%s: %s", mode, m)
			}
		})
	}
}

// TestMkiso boots the image that the command line tool, `strata mkiso`,
// writes from a folder: the fixture's files and an ESP made by iso/fat, laid
// out as in TestBoot.
func TestMkiso(t *testing.T) {
	tools := sharedTools(t)
	installTools(t, tools)
	needQEMU(t)
	fx := makeFixture(t, tools)

	bin := filepath.Join(t.TempDir(), "strata")
	gobuild := exec.Command("go", "build", "-o", bin, "./cmd/strata")
	gobuild.Dir = repoRoot(t)
	if out, err := gobuild.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/strata: %v\n%s", err, out)
	}
	files := fixtureTree(t, fx, fatESP(t, fx))
	src := stage(t, files)
	img := image{path: filepath.Join(t.TempDir(), "live.iso"), sha256: checkedSums(t, files)}
	cmd := exec.Command(bin, "mkiso", "-o", img.path, "--volume-id", "STRATA_LIVE",
		"--bios-boot", "isolinux/isolinux.bin", "--boot-catalog", "isolinux/boot.cat",
		"--efi-boot", "boot/efiboot.img", "--hybrid-mbr", filepath.Join(fx, "isohdpfx.bin"), src)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", epoch.Unix()))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("strata mkiso: %v\n%s", err, out)
	}
	checkImage(t, tools, img, src, modes, nil)
}

// TestBootInputs boots images made from what the project's own
// scripts/boot-inputs prepares (from Debian packages, as root), with boot
// loader configs written here, as strata's media package would write them,
// and the ESP made by iso/fat.
func TestBootInputs(t *testing.T) {
	tools := sharedTools(t)
	installTools(t, tools)
	needQEMU(t)
	if os.Geteuid() != 0 {
		skipOrFail(t, "scripts/boot-inputs needs root (apt-get, mknod)")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "scripts", "boot-inputs"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	run(t, 10*time.Minute, script, dir)
	for _, name := range []string{"vmlinuz", "initrd.img", "isolinux.bin", "ldlinux.c32", "isohdpfx.bin", "BOOTX64.EFI", "MANIFEST"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatalf("scripts/boot-inputs did not make %s: %v", name, err)
		}
	}

	// A kernel parameter of this test's own shows that the configs below,
	// not some default, reached the kernel.
	const own = "strata.test=boot-inputs"
	cmdline := "console=tty0 console=ttyS0,115200n8 panic=5 " + own + " " + params
	isolinuxCfg := "SERIAL 0 115200\nDEFAULT live\nPROMPT 0\nTIMEOUT 0\nLABEL live\n" +
		"  LINUX /boot/vmlinuz\n  INITRD /boot/initrd.img\n  APPEND " + cmdline + "\n"
	grubCfg := "set default=0\nset timeout=0\nmenuentry \"strata live\" {\n" +
		"  linux /boot/vmlinuz " + cmdline + "\n  initrd /boot/initrd.img\n}\n"
	files := tree(t, dir, []byte(isolinuxCfg), []byte(grubCfg), fatESP(t, dir))
	img := buildImage(t, dir, files)
	// One mode: the live-iso example (internal/mediatest) boots images made
	// from these inputs in all four.
	checkImage(t, tools, img, stage(t, files), []string{"bios"}, []string{own})
}

// TestReproducible builds the live image with the FAT-built ESP twice and
// compares the bytes: the iso writer and the fat builder together must not
// depend on anything but their inputs.
func TestReproducible(t *testing.T) {
	tools := sharedTools(t)
	fx := makeFixture(t, tools)
	isohdpfx, err := os.ReadFile(filepath.Join(fx, "isohdpfx.bin"))
	if err != nil {
		t.Fatal(err)
	}
	var sums [2]string
	for i := range sums {
		h := sha256.New()
		if err := build(context.Background(), h, fixtureTree(t, fx, fatESP(t, fx)), isohdpfx); err != nil {
			t.Fatal(err)
		}
		sums[i] = hex.EncodeToString(h.Sum(nil))
	}
	if sums[0] != sums[1] {
		t.Errorf("two builds of one tree differ: sha256 %s and %s", sums[0], sums[1])
	}
}
