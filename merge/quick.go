package merge

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// quickMaxDepth bounds how deeply quickValue follows an expression before
// leaving it to hcl.
const quickMaxDepth = 32

// quickValue evaluates the common expressions of definitions and defaults
// without the evaluation context hcl needs: literals, names of options
// (config.services.web.port, local.cfg.port with cfg a name too), name,
// tuples, parentheses, function calls and operators. For the names, ends
// holds the option each traversal of vars ends at, nil where it ends
// elsewhere; the partial configuration those would be read from is never
// built.
//
// It does what hclsyntax's Value methods do for these nodes on success,
// the same conversions and calls in the same order, and reports false at
// the first thing that would need more (another kind of node, a traversal
// that does not end at an option, an unknown or marked value, a failed
// conversion or call): evalVars then evaluates the expression through hcl
// from the start, so every diagnostic is hcl's own. The functions called
// are pure (there is no quick evaluation with Config.Functions), so
// calling one again there changes nothing.
func (e *evaluator) quickValue(x hcl.Expression, q *quick, depth int) (cty.Value, bool) {
	if depth > quickMaxDepth {
		return cty.NilVal, false
	}
	switch x := x.(type) {
	case *hclsyntax.LiteralValueExpr:
		return x.Val, true
	case *hclsyntax.TemplateExpr:
		return literal(x)
	case *hclsyntax.ScopeTraversalExpr:
		return q.name(x.Traversal)
	case *hclsyntax.ParenthesesExpr:
		return e.quickValue(x.Expression, q, depth+1)
	case *hclsyntax.TupleConsExpr:
		vals := make([]cty.Value, len(x.Exprs))
		for i, ex := range x.Exprs {
			v, ok := e.quickValue(ex, q, depth+1)
			if !ok {
				return cty.NilVal, false
			}
			vals[i] = v
		}
		return cty.TupleVal(vals), true
	case *hclsyntax.FunctionCallExpr:
		return e.quickCall(x, q, depth)
	case *hclsyntax.BinaryOpExpr:
		params := x.Op.Impl.Params()
		lhs, ok := e.quickArg(x.LHS, params[0], q, depth)
		if !ok {
			return cty.NilVal, false
		}
		rhs, ok := e.quickArg(x.RHS, params[1], q, depth)
		if !ok {
			return cty.NilVal, false
		}
		if x.Op.ShortCircuit != nil {
			// hcl evaluates both sides of && and || and then lets the
			// operation pick a side; without diagnostics, none are given.
			if v, _ := x.Op.ShortCircuit(lhs, rhs, nil, nil); v != cty.NilVal {
				return v, true
			}
		}
		return callOK(x.Op.Impl, []cty.Value{lhs, rhs})
	case *hclsyntax.UnaryOpExpr:
		v, ok := e.quickArg(x.Val, x.Op.Impl.Params()[0], q, depth)
		if !ok {
			return cty.NilVal, false
		}
		return callOK(x.Op.Impl, []cty.Value{v})
	}
	return cty.NilVal, false
}

// quickCall evaluates a function call as hclsyntax does when every
// argument converts to its parameter's type and the call succeeds.
func (e *evaluator) quickCall(x *hclsyntax.FunctionCallExpr, q *quick, depth int) (cty.Value, bool) {
	f, ok := e.base.Functions[x.Name]
	if !ok || x.ExpandFinal {
		return cty.NilVal, false
	}
	params := f.Params()
	varParam := f.VarParam()
	if len(x.Args) < len(params) || (varParam == nil && len(x.Args) > len(params)) {
		return cty.NilVal, false
	}
	args := make([]cty.Value, len(x.Args))
	for i, ax := range x.Args {
		param := varParam
		if i < len(params) {
			param = &params[i]
		}
		v, ok := e.quickArg(ax, *param, q, depth)
		if !ok {
			return cty.NilVal, false
		}
		args[i] = v
	}
	return callOK(f, args)
}

// quickArg evaluates an argument and converts it to the parameter's type.
func (e *evaluator) quickArg(x hcl.Expression, param function.Parameter, q *quick, depth int) (cty.Value, bool) {
	if customdecode.CustomExpressionDecoderForType(param.Type) != nil {
		return cty.NilVal, false
	}
	v, ok := e.quickValue(x, q, depth+1)
	if !ok || !v.IsWhollyKnown() || v.ContainsMarked() {
		return cty.NilVal, false
	}
	v, err := convert.Convert(v, param.Type)
	if err != nil {
		return cty.NilVal, false
	}
	return v, true
}

// callOK calls f, reporting false where it fails.
func callOK(f function.Function, args []cty.Value) (cty.Value, bool) {
	v, err := f.Call(args)
	if err != nil {
		return cty.NilVal, false
	}
	return v, true
}

// quick is what quickValue reads names from.
type quick struct {
	vars []hcl.Traversal
	ends []*pnode // by var: the option it ends at, nil elsewhere
	sc   *scope
}

// name returns the value a traversal of the expression reads, when it is
// the name of an option or name in a submodule element.
func (q *quick) name(t hcl.Traversal) (cty.Value, bool) {
	if len(t) == 0 {
		return cty.NilVal, false
	}
	if t.RootName() == "name" {
		if len(t) > 1 || q.sc.inst == nil {
			return cty.NilVal, false
		}
		inst := q.sc.inst
		if inst.nameVal == cty.NilVal {
			inst.nameVal = cty.StringVal(inst.name)
		}
		return inst.nameVal, true
	}
	for i, vt := range q.vars {
		if len(vt) > 0 && &vt[0] == &t[0] && len(vt) == len(t) {
			if p := q.ends[i]; p != nil && p.v != cty.NilVal && p.v.IsWhollyKnown() {
				return p.v, true
			}
			return cty.NilVal, false
		}
	}
	return cty.NilVal, false
}
