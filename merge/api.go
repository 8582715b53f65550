package merge

import (
	"context"
	"io/fs"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/strata-build/strata/priority"
)

// Config holds the settings of an evaluation. The zero value reads modules
// from the operating system, relative to the working directory, with no
// search roots, no arguments, no extra functions and no cache.
//
// Eval reads the maps but never changes them; the caller must not change
// them while an evaluation runs.
type Config struct {
	// FS is where module names are read. Nil means the operating system,
	// with names relative to the working directory.
	FS fs.FS

	// Roots are the search roots for imports written "<name/path>": path
	// is read inside Roots[name].
	Roots map[string]fs.FS

	// Args are the values modules read as arg.NAME.
	Args map[string]cty.Value

	// Functions are extra HCL functions, added to the standard ones. A
	// function named like a property function (mkIf, ...) is ignored.
	// An evaluation calls them from one goroutine at a time, so with any
	// given it merges on one processor.
	Functions map[string]function.Function

	// Cache, when not nil, keeps parsed modules between evaluations, so a
	// second evaluation over the same files skips parsing them. A Cache may
	// be shared by concurrent evaluations.
	Cache *Cache

	serial  bool // no prefetch: for tests comparing it with prefetch
	hclOnly bool // no quick evaluation (quick.go): for tests comparing it with hcl's
}

// Cache keeps parsed modules for reuse by later evaluations. A file is
// reused when its bytes are unchanged and it is read from the same file
// system; a file whose size and modification time are those it had when
// first read, a time already two seconds old then, is not read again (as
// cmd/go trusts file hashes). It also keeps the declaration trees of recent evaluations and
// what each module defines in them, so evaluating many hosts against the
// same profiles parses, declares and pushes down the profiles once.
//
// Unless the Config has Functions, a Cache also keeps the merged value of
// every top-level option with what it was computed from (its definitions,
// the arguments if it read them, the other options it read), and likewise
// the value of each expression evaluated. A later evaluation takes a kept
// value over when none of that changed, and merges again the options a
// new host changes and everything that read them.
// Answers are always those of an evaluation without a Cache; only values
// merged without any diagnostic are kept.
//
// The zero value is an empty cache ready to use; a Cache must not be
// copied after first use.
type Cache struct {
	mu    sync.Mutex
	files map[fileKey]*cachedFile
	decls []*declSet    // least recently used first
	gen   atomic.Uint64 // the last generation given to a value (memo.go)
}

// Eval evaluates the modules together, in the order given, as the top-level
// module list. It is EvalContext with context.Background().
func (c *Config) Eval(modules ...string) (*Result, hcl.Diagnostics) {
	return c.EvalContext(context.Background(), modules...)
}

// EvalContext loads the modules and everything they import, declares their
// options, collects their definitions and checks their assertions. Options
// are merged on demand: by the assertions here, then by the Result's
// methods. The Result is nil whenever the diagnostics hold an error; it is
// safe for concurrent use. The evaluation stops early with an error when
// ctx is done.
func (c *Config) EvalContext(ctx context.Context, modules ...string) (*Result, hcl.Diagnostics) {
	return evaluate(ctx, c, modules)
}

// Result is an evaluated configuration. Options are merged when first
// needed and remembered, so every method may report errors of the options
// it needed. A Result is safe for concurrent use.
type Result struct {
	mu       sync.Mutex
	e        *evaluator
	warnings hcl.Diagnostics
}

// Warnings returns the warnings of the warn blocks whose condition held,
// sorted by place. The caller may change the returned slice.
func (r *Result) Warnings() hcl.Diagnostics {
	return append(hcl.Diagnostics(nil), r.warnings...)
}

// Option describes one declared option for documentation. It is read-only:
// the caller must not change it.
type Option struct {
	// Path is the option's path, such as fileSystems.<name>.fsType for an
	// option of a submodule (the element key written <name>).
	Path Path
	// Type is the option's type in words, as error messages print it.
	Type string
	// Default is the declared default, cty.NilVal when there is none or it
	// cannot be computed without a configuration (DefaultText then says
	// what it is).
	Default cty.Value
	// DefaultText is the declaration's defaultText, or the default's
	// source text when its value depends on the configuration.
	DefaultText string
	// Description is the declared description, "" when there is none.
	Description string
	// Example is the declared example, cty.NilVal when there is none.
	Example cty.Value
	// ReadOnly and Internal are the declaration's flags.
	ReadOnly, Internal bool
	// Declarations are the ranges of every option block that declares the
	// option, in load order.
	Declarations []hcl.Range
}

// Status says what became of one definition of an option. It is one of
// Merged, Shadowed and Dropped.
type Status interface {
	String() string
	status()
}

// Merged is the Status of a definition that took part in the final value.
type Merged struct{}

// Shadowed is the Status of a definition that lost to one with a lower
// priority number.
type Shadowed struct {
	// By is the place of the first winning definition (or of the option
	// declaration, for its default).
	By hcl.Range
	// Priority is the winning priority.
	Priority priority.Priority
}

// Dropped is the Status of a definition whose mkIf (or when) condition was
// false. Its value was never evaluated.
type Dropped struct {
	// Condition is the place of the false condition.
	Condition hcl.Range
}

func (Merged) status()   {}
func (Shadowed) status() {}
func (Dropped) status()  {}

// String returns "merged".
func (Merged) String() string { return "merged" }

// String says which priority shadowed the definition and where.
func (s Shadowed) String() string {
	return "shadowed by " + s.Priority.String() + " at " + s.By.String()
}

// String says where the false condition is.
func (d Dropped) String() string { return "dropped by a false condition at " + d.Condition.String() }

// Definition is one definition of an option as Explain reports it. It is
// read-only.
type Definition struct {
	// Range is the place of the definition.
	Range hcl.Range
	// Priority and Order are the definition's priority and list order.
	Priority priority.Priority
	Order    priority.Order
	// Value is the definition's value; cty.NilVal when it was dropped or
	// could not be evaluated.
	Value cty.Value
	// Status says whether the definition was merged, shadowed or dropped.
	Status Status
	// Default reports whether this is the default of the declaration.
	Default bool
}

// Explanation says how an option got its value. It is read-only.
type Explanation struct {
	// Path is the option's path.
	Path Path
	// Type is the option's type in words.
	Type string
	// Description is the declared description.
	Description string
	// Declarations are the places that declare the option.
	Declarations []hcl.Range
	// Definitions are every definition, the declaration's default
	// included, in definition order.
	Definitions []*Definition
	// Value is the final value, cty.NilVal when it could not be computed.
	Value cty.Value
}
