package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit statuses shared by every subcommand.
const (
	exitOK     = 0 // success
	exitConfig = 1 // errors in the configuration or the inputs
	exitUsage  = 2 // wrong usage
)

// command is one subcommand of strata.
type command struct {
	summary string // one line for "strata help"
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands. Each lives in a file of its own named
// after it (eval.go, mkiso.go, ...).
func commands() map[string]command {
	return map[string]command{
		// Subcommands are added here, one line each.
		"diff":    {summary: "show the options that differ between two configurations, with the definitions behind each side", run: runDiff},
		"explain": {summary: "explain how an option got its value: every definition, shadowed or dropped, and why", run: runExplain},
		"options": {summary: "print the documentation of every declared option (text, --markdown or --json)", run: runOptions},
		"eval":    {summary: "evaluate modules and print the configuration (or one path) as JSON", run: runEval},
		"mkiso":   {summary: "write a directory tree as an ISO 9660 image (Rock Ridge, Joliet, El Torito, hybrid)", run: runMkiso},
		"iso":     {summary: "write the bootable ISO image of a configuration", run: runISO},
		"netboot": {summary: "write the netboot folder (kernel, initrd, iPXE script) of a configuration", run: runNetboot},
	}
}

// run is the whole command line tool as a function, so tests can call it.
func run(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		usage(stderr, cmds)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := cmds[args[1]]; ok {
				return c.run([]string{"--help"}, stdout, stderr)
			}
		}
		usage(stdout, cmds)
		return exitOK
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "strata: unknown command %q\n\n", args[0])
		usage(stderr, cmds)
		return exitUsage
	}
	return c.run(args[1:], stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	width := 0
	for n := range cmds {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("strata: the NixOS module system for HCL and Go, and bootable image media.\n\n")
	b.WriteString("Usage: strata COMMAND [ARGS...]   (strata help COMMAND for more)\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, n, cmds[n].summary)
	}
	io.WriteString(w, b.String())
}
