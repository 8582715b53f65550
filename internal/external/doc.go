// Package external holds a test that uses strata the way an outside Go
// module does: it writes a small program into a new module in a temporary
// directory, points the module at this checkout with a replace directive,
// and runs it. The program sees only the exported API, so the test fails
// when that API cannot do what the embedding guide promises.
package external
