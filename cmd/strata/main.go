// Command strata evaluates strata modules and turns the result into image
// media. Run "strata help" for the subcommands.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
