package merge

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Summaries of the diagnostics, one per kind (spec section 7).
const (
	summaryConflict      = "Conflicting definitions"
	summaryType          = "Value not of the option's type"
	summaryUndeclared    = "Option does not exist"
	summaryDeclared      = "Option declared twice"
	summaryNoValue       = "Option used but not defined"
	summaryMultiple      = "Option defined more than once"
	summaryCondition     = "Condition is not a bool"
	summaryCycle         = "Dependency cycle"
	summaryImport        = "Module not found"
	summaryAssertion     = "Failed assertion"
	summaryWarning       = "Warning"
	summaryNamespace     = "Value given for a namespace"
	summaryWrapper       = "Property function not allowed here"
	summaryBadModule     = "Invalid module"
	summaryBadDecl       = "Invalid option declaration"
	summaryBadType       = "Invalid option type"
	summaryTooDeep       = "Evaluation nested too deeply"
	summaryNoSuchPath    = "No such path"
	summaryCancelled     = "Evaluation cancelled"
	summaryBadDefinition = "Invalid definition"
)

// places is the Extra of every diagnostic of this package: the ranges of
// every place involved, the Subject first.
type places []hcl.Range

// Places returns every place the diagnostic involves.
func (p places) Places() []hcl.Range { return p }

// newDiag makes an error diagnostic whose Subject is the first range and
// whose Extra lists every range.
func newDiag(summary, detail string, rs ...hcl.Range) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
	if len(rs) > 0 {
		r := rs[0]
		d.Subject = &r
		d.Extra = places(append([]hcl.Range(nil), rs...))
	}
	return d
}

// where formats a range as FILE:LINE.
func where(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// sortDiags sorts diagnostics by file and offset and removes exact
// duplicates (same severity, summary, detail and subject).
func sortDiags(ds hcl.Diagnostics) hcl.Diagnostics {
	if len(ds) == 0 {
		return nil
	}
	key := func(d *hcl.Diagnostic) (string, int) {
		if d.Subject == nil {
			return "", -1
		}
		return d.Subject.Filename, d.Subject.Start.Byte
	}
	out := append(hcl.Diagnostics(nil), ds...)
	sort.SliceStable(out, func(i, j int) bool {
		fi, oi := key(out[i])
		fj, oj := key(out[j])
		if fi != fj {
			return fi < fj
		}
		if oi != oj {
			return oi < oj
		}
		if out[i].Severity != out[j].Severity {
			return out[i].Severity < out[j].Severity
		}
		if out[i].Summary != out[j].Summary {
			return out[i].Summary < out[j].Summary
		}
		return out[i].Detail < out[j].Detail
	})
	for i, d := range out {
		// hcl's own diagnostics (syntax, unknown variables) get places too,
		// unless they carry an Extra of their own. They are copied: a
		// cached module's diagnostics are shared.
		if d.Extra == nil && d.Subject != nil {
			ps := places{*d.Subject}
			if d.Context != nil && *d.Context != *d.Subject {
				ps = append(ps, *d.Context)
			}
			c := *d
			c.Extra = ps
			out[i] = &c
		}
	}
	res := out[:0]
	for i, d := range out {
		if i > 0 && sameDiag(res[len(res)-1], d) {
			continue
		}
		res = append(res, d)
	}
	return res
}

func sameDiag(a, b *hcl.Diagnostic) bool {
	if a.Severity != b.Severity || a.Summary != b.Summary || a.Detail != b.Detail {
		return false
	}
	if (a.Subject == nil) != (b.Subject == nil) {
		return false
	}
	return a.Subject == nil || *a.Subject == *b.Subject
}

// showValue renders a value for an error message, shortened when long.
func showValue(v cty.Value) string {
	if v == cty.NilVal {
		return "(none)"
	}
	s := string(appendJSONValue(nil, v, true))
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return s
}

// listPlaces renders one line per definition, "  FILE:LINE: value".
func listPlaces(ds []*ddef, e *evaluator) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n  - %s: %s", where(d.rng), showValue(d.shown(e)))
	}
	return b.String()
}

// typeName says in words what kind of value v is.
func typeName(v cty.Value) string {
	if v == cty.NilVal {
		return "nothing"
	}
	if v.IsNull() {
		return "null"
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return "string"
	case t == cty.Number:
		return "number"
	case t == cty.Bool:
		return "bool"
	case t.IsObjectType() || t.IsMapType():
		return "object"
	case t.IsTupleType() || t.IsListType() || t.IsSetType():
		return "list"
	case isProp(v):
		return "property function " + propOf(v).fn
	}
	return t.FriendlyName()
}

// hcl's texts for an unknown function or variable, and its threshold for
// suggesting a name.
const (
	unknownFunction = "There is no function named "
	unknownVariable = "There is no variable named "
	suggestBelow    = 3
)

// steadySuggestions makes the "Did you mean" of hcl's unknown function and
// unknown variable errors the same on every run: hcl takes the first
// close name in the order of a map, so two evaluations of one module could
// suggest different names. Here the nearest name is suggested, the first
// in alphabetical order among equally near ones; variables are those a
// module may use in the scope (name and self in submodule elements).
func (e *evaluator) steadySuggestions(diags hcl.Diagnostics, sc *scope) {
	for _, d := range diags {
		var lead string
		var names []string
		switch {
		case d.Summary == "Call to unknown function" && strings.HasPrefix(d.Detail, unknownFunction):
			lead = unknownFunction
			if e.funcNames == nil {
				for n := range e.base.Functions {
					e.funcNames = append(e.funcNames, n)
				}
				sort.Strings(e.funcNames)
			}
			names = e.funcNames
		case d.Summary == "Unknown variable" && strings.HasPrefix(d.Detail, unknownVariable):
			lead = unknownVariable
			names = []string{"arg", "config", "local"}
			if sc != nil && sc.inst != nil {
				names = []string{"arg", "config", "local", "name", "self"}
			}
		default:
			continue
		}
		quoted, err := strconv.QuotedPrefix(d.Detail[len(lead):])
		if err != nil {
			continue
		}
		name, _ := strconv.Unquote(quoted)
		rest := d.Detail[len(lead)+len(quoted):]
		if !strings.HasPrefix(rest, ".") {
			continue
		}
		rest = strings.TrimPrefix(rest, ".")
		if strings.HasPrefix(rest, " Did you mean ") {
			// hcl's suggestion ends at the first "?" after the quoted name.
			q, err := strconv.QuotedPrefix(strings.TrimPrefix(rest, " Did you mean "))
			if err != nil {
				continue
			}
			rest = strings.TrimPrefix(strings.TrimPrefix(rest, " Did you mean "+q), "?")
		}
		best, pick := suggestBelow, ""
		for _, n := range names {
			if dist := levenshtein(name, n); dist < best {
				best, pick = dist, n
			}
		}
		suggestion := ""
		if pick != "" {
			suggestion = fmt.Sprintf(" Did you mean %q?", pick)
		}
		d.Detail = lead + quoted + "." + suggestion + rest
	}
}
