package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/strata-build/strata/media"
)

const netbootUsage = `Usage: strata netboot -o DIR [--arg NAME=VALUE]... MODULE...

Evaluates the modules together (typically a host importing
<profiles/netboot.hcl>) and writes a netboot folder: the kernel and initrd
of boot.files under system.boot.loader.kernelFile and initrdFile, the iPXE
script netboot.ipxeScriptName that boots them with boot.kernelParams, and
the merged configuration as JSON at strata/config.json. Serve DIR over TFTP
or HTTP and chain-load the script from iPXE.

DIR is written next to itself under a temporary name and then takes the
place of the old DIR, whole: on any error DIR is left as it was. On success
it lists the files written.

Exit status: 0 success, 1 errors in the configuration or its inputs, 2 wrong
usage.`

// runNetboot is strata netboot: evaluate, plan the folder with package
// media, write it atomically.
func runNetboot(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	spec, out, code := startMedia(ctx, "netboot", netbootUsage, "write the netboot folder to `DIR`", "DIR", args, stderr)
	if spec == nil {
		return code
	}
	nb, diags := media.PlanNetboot(spec)
	writeDiags(stderr, diags, searchRoots())
	if diags.HasErrors() {
		return exitConfig
	}
	if err := nb.WriteDir(ctx, *out); err != nil {
		fmt.Fprintf(stderr, "strata netboot: %v\n", err)
		return exitConfig
	}
	for _, f := range nb.Files {
		fmt.Fprintf(stdout, "%s (%d bytes)\n", filepath.Join(*out, filepath.FromSlash(f.Path)), f.Size)
	}
	return exitOK
}
