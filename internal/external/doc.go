// Package external holds tests that use strata the way an outside Go
// module does. Each writes a new module into a temporary directory, points
// it at this checkout with a replace directive, and runs the go command in
// it: "go run" of a program that embeds strata (testdata/embedder), and
// "go test" of a package whose tests use merge/mergetest
// (testdata/hosttest). The outside code sees only the exported API, so the
// tests fail when that API cannot do what its documentation promises.
package external
