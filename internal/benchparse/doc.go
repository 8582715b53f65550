// Command benchparse is the parse yardstick of scripts/bench-eval: it
// parses every .hcl file below a folder with hclsyntax.ParseConfig in one
// process and keeps every syntax tree alive until the end, as an
// evaluator that holds its modules would.
//
// Its CPU time, measured from outside with the collector off (GOGC=off),
// is compared with the 1.1 s the author measured for the same
// work next to Nix, to estimate how fast this machine is against theirs.
//
// Usage:
//
//	benchparse [-j N] DIR
//
// With -j 1 the files are parsed one after another; with a larger N, by
// N workers (the default is GOMAXPROCS). On success it prints one line,
// "FILES BYTES", and exits 0; on a read or parse error it prints the
// diagnostics to standard error and exits 1; on wrong usage, 2.
package main
