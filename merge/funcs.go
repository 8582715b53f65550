package merge

import (
	"fmt"
	"reflect"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/strata-build/strata/priority"
)

// prop is a property function applied in an evaluated value (spec section
// 5). Where the syntax shows the call, it is read from the syntax instead,
// so a false mkIf's value is never evaluated; prop covers the rest.
type prop struct {
	fn    string
	prio  priority.Priority
	order priority.Order
	cond  cty.Value
	val   cty.Value
}

var propType = cty.Capsule("property function", reflect.TypeOf(prop{}))

func isProp(v cty.Value) bool { return v.Type().Equals(propType) && v.IsKnown() && !v.IsNull() }

func propOf(v cty.Value) *prop { return v.EncapsulatedValue().(*prop) }

// hasProp reports whether v holds a property function anywhere.
func hasProp(v cty.Value) bool {
	if !v.IsKnown() || v.IsNull() {
		return false
	}
	ty := v.Type()
	if ty.Equals(propType) {
		return true
	}
	if ty.IsObjectType() || ty.IsTupleType() || ty.IsMapType() || ty.IsListType() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if hasProp(e) {
				return true
			}
		}
	}
	return false
}

// propNames are the property functions and what they set.
var propNames = map[string]bool{
	"mkIf": true, "mkMerge": true, "mkOverride": true, "mkOrder": true,
	"mkForce": true, "mkImageMediaOverride": true, "mkVMOverride": true,
	"mkDefault": true, "mkOptionDefault": true, "mkBefore": true, "mkAfter": true,
}

var fixedPrio = map[string]priority.Priority{
	"mkForce": priority.Force, "mkImageMediaOverride": priority.ImageMedia,
	"mkVMOverride": priority.VMOverride, "mkDefault": priority.Default,
	"mkOptionDefault": priority.OptionDefault,
}

var fixedOrder = map[string]priority.Order{"mkBefore": priority.Before, "mkAfter": priority.After}

func anyParam(name string) function.Parameter {
	return function.Parameter{Name: name, Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true}
}

func propFunc(name string, params ...string) function.Function {
	var ps []function.Parameter
	for _, p := range params {
		ps = append(ps, anyParam(p))
	}
	return function.New(&function.Spec{
		Params: ps,
		Type:   function.StaticReturnType(propType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := &prop{fn: name}
			switch name {
			case "mkIf":
				p.cond, p.val = args[0], args[1]
			case "mkOverride", "mkOrder":
				p.cond, p.val = args[0], args[1]
			default:
				p.val = args[0]
				p.prio = fixedPrio[name]
				p.order = fixedOrder[name]
			}
			return cty.CapsuleVal(propType, p), nil
		},
	})
}

// lengthFunc is Terraform's length: of a string, a list or an object.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		ty := v.Type()
		switch {
		case ty == cty.String:
			return stdlib.Strlen(v)
		case ty.IsTupleType() || ty.IsObjectType() || ty.IsListType() || ty.IsMapType() || ty.IsSetType():
			return cty.NumberIntVal(int64(v.LengthInt())), nil
		}
		return cty.NilVal, fmt.Errorf("length takes a string, a list or an object, not %s", ty.FriendlyName())
	},
})

// functions returns the functions modules can call (spec section 1).
func (c *Config) functions() map[string]function.Function {
	fs := map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "chomp": stdlib.ChompFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
		"floor": stdlib.FloorFunc, "format": stdlib.FormatFunc, "formatdate": stdlib.FormatDateFunc,
		"formatlist": stdlib.FormatListFunc, "indent": stdlib.IndentFunc, "index": stdlib.IndexFunc,
		"join": stdlib.JoinFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"keys": stdlib.KeysFunc, "length": lengthFunc, "log": stdlib.LogFunc, "lookup": stdlib.LookupFunc,
		"lower": stdlib.LowerFunc, "max": stdlib.MaxFunc, "merge": stdlib.MergeFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "range": stdlib.RangeFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "regex_replace": stdlib.RegexReplaceFunc,
		"replace": stdlib.ReplaceFunc, "reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"signum": stdlib.SignumFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "split": stdlib.SplitFunc,
		"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "timeadd": stdlib.TimeAddFunc,
		"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "trimsuffix": stdlib.TrimSuffixFunc, "upper": stdlib.UpperFunc,
		"values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool),
	}
	for n, f := range c.Functions {
		if !propNames[n] {
			fs[n] = f
		}
	}
	for n := range propNames {
		switch n {
		case "mkIf":
			fs[n] = propFunc(n, "condition", "value")
		case "mkOverride":
			fs[n] = propFunc(n, "priority", "value")
		case "mkOrder":
			fs[n] = propFunc(n, "order", "value")
		case "mkMerge":
			fs[n] = propFunc(n, "definitions")
		default:
			fs[n] = propFunc(n, "value")
		}
	}
	return fs
}
