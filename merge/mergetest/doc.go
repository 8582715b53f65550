// Package mergetest helps Go tests check merged strata configurations.
//
// A test evaluates its modules with [Eval], which fails the test with the
// rendered diagnostics when the configuration has errors, then asserts
// values at option paths with [Value], whose failures are go-cmp diffs.
// [Cty] is the go-cmp option that compares cty.Values by content; use it
// in your own cmp.Diff calls too. [Merged] checks which definitions, by
// place, make up a value. [Warnings] checks the messages of warn
// blocks; a configuration that must fail is evaluated with [EvalErrors],
// and [FailedAssertions] checks the messages of its failed assert blocks.
// [Golden] compares the JSON of a path with a file that "go test -update"
// rewrites, and [Render] shows diagnostics with their source lines.
//
// [Value] decodes strictly: an attribute the wanted Go value has no field
// for is a failure, so a test cannot pass by ignoring part of a value.
//
// The helpers report with t.Errorf, so one test shows every mismatch, and
// stop the test with t.Fatalf only when it cannot go on (Eval).
//
// Package mergetest defines the test flag -update, unless another package
// of the test binary did so first; a test package that imports mergetest
// must not define a flag of that name itself.
package mergetest
