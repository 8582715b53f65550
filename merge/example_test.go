package merge_test

import (
	"fmt"
	"testing/fstest"

	"github.com/strata-build/strata/merge"
)

// A host module imports a profile that sets a default; the host's plain
// definition beats the profile's mkDefault, and the list definitions of
// both are concatenated, the imported module's first.
func ExampleConfig_Eval() {
	fsys := fstest.MapFS{
		"host.hcl": {Data: []byte(`
imports = ["./profile.hcl"]

config {
  networking {
    hostName    = "demo"
    nameservers = ["9.9.9.9"]
  }
}
`)},
		"profile.hcl": {Data: []byte(`
option "networking.hostName" {
  type    = str
  default = "nixos"
}

option "networking.nameservers" {
  type    = listOf(str)
  default = []
}

config {
  networking {
    hostName    = mkDefault("installer")
    nameservers = ["1.1.1.1"]
  }
}
`)},
	}
	res, diags := (&merge.Config{FS: fsys}).Eval("host.hcl")
	if diags.HasErrors() {
		fmt.Println(diags)
		return
	}
	out, _ := res.JSON("networking")
	fmt.Println(string(out))
	// Output:
	// {"hostName":"demo","nameservers":["1.1.1.1","9.9.9.9"]}
}

// Explain shows every definition of an option and what became of it.
func ExampleResult_Explain() {
	fsys := fstest.MapFS{
		"main.hcl": {Data: []byte(`
option "boot.timeout" {
  type    = int
  default = 5
}

config {
  boot { timeout = 3 }
}

config {
  boot { timeout = mkForce(10) }
}

config {
  when = false
  boot { timeout = mkVMOverride(0) }
}
`)},
	}
	res, _ := (&merge.Config{FS: fsys}).Eval("main.hcl")
	ex, _ := res.Explain("boot.timeout")
	fmt.Println(ex.Path, "is a", ex.Type, "=", ex.Value.AsBigFloat())
	for _, d := range ex.Definitions {
		fmt.Printf("line %d, priority %d: %s\n", d.Range.Start.Line, d.Priority, d.Status)
	}
	// Output:
	// boot.timeout is a signed integer = 10
	// line 4, priority 1500: shadowed by 50 (mkForce) at main.hcl:12,10-31
	// line 8, priority 100: shadowed by 50 (mkForce) at main.hcl:12,10-31
	// line 12, priority 50: merged
	// line 17, priority 100: dropped by a false condition at main.hcl:16,3-15
}

// Hosts evaluated one after another over one Cache share the parsed
// profile and what was merged from it: the second evaluation merges again
// only what its host changed (the web service's port) and what reads it
// (the firewall).
func ExampleCache() {
	fsys := fstest.MapFS{
		"profile.hcl": {Data: []byte(`
option "services.web.port" {
  type    = port
  default = 80
}

option "networking.firewall.allowedTCPPorts" {
  type    = listOf(port)
  default = []
}

config {
  networking {
    firewall { allowedTCPPorts = [22, config.services.web.port] }
  }
}
`)},
		"a.hcl": {Data: []byte(`imports = ["./profile.hcl"]`)},
		"b.hcl": {Data: []byte(`
imports = ["./profile.hcl"]

config {
  services {
    web { port = 8080 }
  }
}
`)},
	}
	cfg := &merge.Config{FS: fsys, Cache: &merge.Cache{}}
	for _, host := range []string{"a.hcl", "b.hcl", "a.hcl"} {
		res, diags := cfg.Eval(host)
		if diags.HasErrors() {
			fmt.Println(diags)
			return
		}
		out, _ := res.JSON("networking.firewall.allowedTCPPorts")
		fmt.Println(host, string(out))
	}
	// Output:
	// a.hcl [22,80]
	// b.hcl [22,8080]
	// a.hcl [22,80]
}
