package mediatest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kdomanski/iso9660"
)

// Paths relative to this package's folder.
const (
	repoRoot   = "../.."
	sharedDir  = "../../../shared"
	configPath = "/strata/config.json"
)

// noTimerCheck is a kernel parameter every test boot gets: on a loaded
// machine, QEMU's emulated timer can tick so late that Linux's check of the
// IO-APIC timer fails and the kernel panics ("IO-APIC + timer doesn't
// work!") before userspace; Linux skips that check with it.
const noTimerCheck = "no_timer_check"

// need skips the test, or fails it when CI is set, with why.
func need(t *testing.T, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set, but %s", why)
	}
	t.Skipf("skipped: %s", why)
}

// tool returns the path of a checker in ../shared/tools.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(sharedDir, "tools", name))
	if err != nil {
		t.Fatal(err)
	}
	_, err = os.Stat(p)
	need(t, err == nil, fmt.Sprintf("%s is missing (../shared is absent)", p))
	return p
}

func needQEMU(t *testing.T) {
	t.Helper()
	_, err := exec.LookPath("qemu-system-x86_64")
	need(t, err == nil, "qemu-system-x86_64 is not installed")
}

// inputs prepares the boot inputs once for every test (scripts/boot-inputs
// runs only when the cache lacks them).
var inputs struct {
	once sync.Once
	dir  string
	err  error
	log  []byte
}

func bootInputs(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	inputs.once.Do(func() {
		dir := os.Getenv("STRATA_BOOT_INPUTS")
		if dir == "" {
			dir = filepath.Join(root, ".cache", "boot-inputs")
		}
		inputs.dir = dir
		for _, f := range []string{"vmlinuz", "initrd.img", "isolinux.bin", "ldlinux.c32", "isohdpfx.bin", "BOOTX64.EFI"} {
			if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
				cmd := exec.Command(filepath.Join(root, "scripts", "boot-inputs"), dir)
				inputs.log, inputs.err = cmd.CombinedOutput()
				return
			}
		}
	})
	need(t, inputs.err == nil, fmt.Sprintf("scripts/boot-inputs failed (%v):\n%s", inputs.err, inputs.log))
	return inputs.dir
}

// command runs name with args in dir and returns its standard output.
func command(t *testing.T, ctx context.Context, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s %s: %.1f s", filepath.Base(name), strings.Join(args, " "), time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// writeModule writes an extra module into a temporary folder.
func writeModule(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "extra.hcl")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// reportedSHA returns the sha256 strata iso printed for the configuration.
func reportedSHA(t *testing.T, stdout string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(configPath) + ` sha256 ([0-9a-f]{64})$`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("strata iso printed no sha256 of %s:\n%s", configPath, stdout)
	}
	return m[1]
}

// imageFile reads the file at p (Rock Ridge names) from the image.
func imageFile(t *testing.T, image, p string) []byte {
	t.Helper()
	f, err := os.Open(image)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := iso9660.OpenImage(f)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := img.RootDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range strings.Split(strings.Trim(p, "/"), "/") {
		kids, err := cur.GetChildren()
		if err != nil {
			t.Fatal(err)
		}
		var next *iso9660.File
		for _, k := range kids {
			if k.Name() == name {
				next = k
			}
		}
		if next == nil {
			t.Fatalf("no %s in %s", p, image)
		}
		cur = next
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(cur.Reader()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bootcheck boots target in mode and checks every expected line.
func bootcheck(t *testing.T, mode, target string, lines ...string) {
	t.Helper()
	args := []string{"--mode", mode, "--timeout", "400"}
	for _, l := range lines {
		args = append(args, "--expect-line", l)
	}
	logFile := filepath.Join(t.TempDir(), "console.log")
	args = append(args, "--log", logFile, target)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	out := command(t, ctx, "", nil, tool(t, "bootcheck"), args...)
	if !strings.Contains(out, "1 passed, 0 failed") {
		t.Errorf("bootcheck --mode %s:\n%s", mode, out)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "found") || strings.Contains(l, "expect-line") {
			t.Log(l)
		}
	}
}

// TestLiveISO builds the live-iso example with build.sh, checks the image
// with isocheck, and boots it in the four modes: the kernel must get the
// host's parameters, and read back the configuration and the boot menu
// exactly as strata wrote them.
func TestLiveISO(t *testing.T) {
	t.Parallel()
	isocheck := tool(t, "isocheck")
	tool(t, "bootcheck")
	needQEMU(t)
	in := bootInputs(t)
	root, _ := filepath.Abs(repoRoot)
	image := filepath.Join(t.TempDir(), "live.iso")
	// strata.check= makes the fixture's /init read the listed files from
	// the medium with the kernel's own iso9660 driver.
	check := writeModule(t, `config {
  boot {
    kernelParams = ["strata.check=`+configPath+`,/isolinux/isolinux.cfg,/boot/grub/grub.cfg", "`+noTimerCheck+`"]
  }
}
`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out := command(t, ctx, root, []string{"STRATA_BOOT_INPUTS=" + in},
		filepath.Join(root, "examples", "live-iso", "build.sh"), image, check)
	sha := reportedSHA(t, out)
	if got := fmt.Sprintf("%x", sha256.Sum256(imageFile(t, image, configPath))); got != sha {
		t.Fatalf("%s in the image has sha256 %s, strata reported %s", configPath, got, sha)
	}
	isolinuxSHA := fmt.Sprintf("%x", sha256.Sum256(imageFile(t, image, "/isolinux/isolinux.cfg")))
	grubSHA := fmt.Sprintf("%x", sha256.Sum256(imageFile(t, image, "/boot/grub/grub.cfg")))

	// The subtests run after this function returns, so each has a
	// context of its own.
	t.Run("isocheck", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		res := command(t, ctx, "", nil, isocheck, "--expect-rr", "--expect-joliet", "--expect-eltorito", "--expect-hybrid", image)
		if !strings.Contains(res, " 0 failed") {
			t.Errorf("isocheck:\n%s", res)
		}
	})
	for _, mode := range []string{"bios", "uefi", "usb-bios", "usb-uefi"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			lines := []string{
				`^STRATA-CMDLINE: .*root=LABEL=STRATA_LIVE .*console=ttyS0,115200n8 panic=5 lab\.role=installer`,
				`^STRATA-FILE ` + configPath + ` ` + sha + `$`,
				`^STRATA-FILE /isolinux/isolinux.cfg ` + isolinuxSHA + `$`,
				`^STRATA-FILE /boot/grub/grub.cfg ` + grubSHA + `$`,
			}
			if strings.HasSuffix(mode, "uefi") {
				// GRUB echoes the label of the entry it boots.
				lines = append(lines, `^strata: booting Lab NixOS 26\.11 Installer$`)
			}
			bootcheck(t, mode, image, lines...)
		})
	}
}

// TestNetboot builds the netboot example with build.sh and boots the
// folder through iPXE over QEMU's TFTP.
func TestNetboot(t *testing.T) {
	t.Parallel()
	tool(t, "bootcheck")
	needQEMU(t)
	in := bootInputs(t)
	root, _ := filepath.Abs(repoRoot)
	dir := filepath.Join(t.TempDir(), "netboot")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	extra := writeModule(t, "config {\n  boot {\n    kernelParams = [\""+noTimerCheck+"\"]\n  }\n}\n")
	command(t, ctx, root, []string{"STRATA_BOOT_INPUTS=" + in},
		filepath.Join(root, "examples", "netboot", "build.sh"), dir, extra)
	bootcheck(t, "netboot", dir, `^STRATA-CMDLINE: initrd=initrd .*console=ttyS0,115200n8 panic=5 lab\.role=netboot`)
}

// TestChangedHost edits a copy of the live-iso example's host.hcl (a kernel
// parameter, the volume ID and the menu label) and boots the result: each
// change must reach the booted machine.
func TestChangedHost(t *testing.T) {
	t.Parallel()
	tool(t, "bootcheck")
	needQEMU(t)
	in := bootInputs(t)
	root, _ := filepath.Abs(repoRoot)
	src, err := os.ReadFile(filepath.Join(root, "examples", "live-iso", "host.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	host := string(src)
	for _, r := range []struct{ old, new string }{
		{`"lab.role=installer"`, `"lab.role=changed", "` + noTimerCheck + `"`},
		{`volumeID           = "STRATA_LIVE"`, `volumeID           = "STRATA_CHANGED"`},
		{`prependToMenuLabel = "Lab "`, `prependToMenuLabel = "Changed "`},
	} {
		if !strings.Contains(host, r.old) {
			t.Fatalf("examples/live-iso/host.hcl no longer has %s; update this test", r.old)
		}
		host = strings.Replace(host, r.old, r.new, 1)
	}
	dir := t.TempDir()
	for name, data := range map[string]string{"host.hcl": host, "welcome.txt": "changed\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	image := filepath.Join(dir, "changed.iso")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	command(t, ctx, root, nil, "go", "run", "./cmd/strata", "iso", "-o", image,
		"--arg", "bootInputs="+in, filepath.Join(dir, "host.hcl"))
	bootcheck(t, "uefi", image,
		`^STRATA-CMDLINE: .*root=LABEL=STRATA_CHANGED .*lab\.role=changed`,
		`^strata: booting Changed NixOS 26\.11 Installer$`)
}

// TestNetbootISO runs strata iso on the netboot example, with boot loader
// files added: the minimal image must boot, BIOS from a CD and UEFI from a
// USB stick.
func TestNetbootISO(t *testing.T) {
	t.Parallel()
	tool(t, "bootcheck")
	needQEMU(t)
	in := bootInputs(t)
	root, _ := filepath.Abs(repoRoot)
	loaders := writeModule(t, `config {
  boot {
    files {
      isolinux     = "${arg.bootInputs}/isolinux.bin"
      ldlinux      = "${arg.bootInputs}/ldlinux.c32"
      isohybridMbr = "${arg.bootInputs}/isohdpfx.bin"
      efiLoader    = "${arg.bootInputs}/BOOTX64.EFI"
    }
    kernelParams = ["`+noTimerCheck+`"]
  }
}
`)
	image := filepath.Join(t.TempDir(), "netboot.iso")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out := command(t, ctx, root, nil, "go", "run", "./cmd/strata", "iso", "-o", image,
		"--arg", "bootInputs="+in, loaders, filepath.Join(root, "examples", "netboot", "host.hcl"))
	if !strings.Contains(out, "volume ID STRATA_NETBOOT") {
		t.Errorf("strata iso printed:\n%s", out)
	}
	for _, mode := range []string{"bios", "usb-uefi"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			bootcheck(t, mode, image, `^STRATA-CMDLINE: .*panic=5 lab\.role=netboot`)
		})
	}
}
