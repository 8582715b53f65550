package merge

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// kind names the option types of spec section 3.
type kind int

const (
	kStr kind = iota
	kNonEmptyStr
	kSingleLineStr
	kStrMatching
	kLines
	kCommas
	kSeparated
	kInt
	kIntBetween
	kPositiveInt
	kUnsignedInt
	kPort
	kFloat
	kNumber
	kBool
	kBoolByOr
	kPath
	kEnum
	kAnything
	kRaw
	kListOf
	kNonEmptyListOf
	kAttrsOf
	kNullOr
	kEither
	kOneOf
	kUniq
	kSubmodule
)

// typ is an option type. Types are built from declarations and frozen.
type typ struct {
	k     kind
	elems []*typ   // listOf, attrsOf, nullOr, uniq: one; either, oneOf: the choices
	lo    *big.Int // intBetween bounds
	hi    *big.Int
	re    *regexp.Regexp // strMatching
	sep   string         // separatedString, lines, commas
	enum  []cty.Value
	src   string    // the HCL spelling, for declaration merging
	sub   *declNode // submodule: the nested options (shared by extensions)
}

var simpleTypes = map[string]kind{
	"str": kStr, "nonEmptyStr": kNonEmptyStr, "singleLineStr": kSingleLineStr,
	"lines": kLines, "commas": kCommas, "int": kInt, "positiveInt": kPositiveInt,
	"unsignedInt": kUnsignedInt, "port": kPort, "float": kFloat, "number": kNumber,
	"bool": kBool, "boolByOr": kBoolByOr, "path": kPath, "anything": kAnything,
	"raw": kRaw, "submodule": kSubmodule,
}

var wrapTypes = map[string]kind{
	"listOf": kListOf, "nonEmptyListOf": kNonEmptyListOf, "attrsOf": kAttrsOf,
	"nullOr": kNullOr, "uniq": kUniq,
}

// typeNames lists every type name for did-you-mean messages.
var typeNames = []string{"str", "nonEmptyStr", "singleLineStr", "strMatching", "lines", "commas",
	"separatedString", "int", "intBetween", "positiveInt", "unsignedInt", "port", "float", "number",
	"bool", "boolByOr", "path", "enum", "anything", "raw", "listOf", "nonEmptyListOf", "attrsOf",
	"nullOr", "either", "oneOf", "uniq", "submodule"}

// parseType reads a type expression without evaluating it (spec section 3).
// A type of a JSON module is a string holding the HCL spelling.
func parseType(x hcl.Expression) (*typ, hcl.Diagnostics) {
	if _, ok := x.(hclsyntax.Expression); !ok {
		v, diags := x.Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
			return nil, hcl.Diagnostics{newDiag(summaryBadType, "In a JSON module a type is a string holding its HCL spelling, such as \"attrsOf(str)\".", x.Range())}
		}
		r := x.Range()
		px, diags := hclsyntax.ParseExpression([]byte(v.AsString()), r.Filename, r.Start)
		if diags.HasErrors() {
			return nil, diags
		}
		x = px
	}
	return parseTypeSyntax(x.(hclsyntax.Expression))
}

func parseTypeSyntax(x hclsyntax.Expression) (*typ, hcl.Diagnostics) {
	bad := func(msg string) (*typ, hcl.Diagnostics) {
		return nil, hcl.Diagnostics{newDiag(summaryBadType, msg, x.Range())}
	}
	switch x := x.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(x.Traversal) != 1 {
			return bad("A type is a name such as str or a call such as attrsOf(str).")
		}
		n := x.Traversal.RootName()
		k, ok := simpleTypes[n]
		if !ok {
			if _, ok := wrapTypes[n]; ok {
				return bad(fmt.Sprintf("The type %s takes an argument: write %s(T).", n, n))
			}
			return bad(fmt.Sprintf("Unknown type %q%s.", n, didYouMean(n, typeNames)))
		}
		t := &typ{k: k, src: n}
		switch k {
		case kLines:
			t.sep = "\n"
		case kCommas:
			t.sep = ","
		case kSubmodule:
			t.sub = newNamespace(nil)
		}
		return t, nil
	case *hclsyntax.FunctionCallExpr:
		n := x.Name
		args := x.Args
		if k, ok := wrapTypes[n]; ok {
			if len(args) != 1 {
				return bad(fmt.Sprintf("%s takes one type.", n))
			}
			e, diags := parseTypeSyntax(args[0])
			if diags.HasErrors() {
				return nil, diags
			}
			return &typ{k: k, elems: []*typ{e}, src: n + "(" + e.src + ")"}, nil
		}
		lit := func(i int) (cty.Value, bool) {
			if i >= len(args) {
				return cty.NilVal, false
			}
			v, diags := args[i].Value(nil)
			return v, !diags.HasErrors() && v.IsWhollyKnown() && !v.IsNull()
		}
		switch n {
		case "either":
			if len(args) != 2 {
				return bad("either takes two types.")
			}
			var ts []*typ
			for _, a := range args {
				e, diags := parseTypeSyntax(a)
				if diags.HasErrors() {
					return nil, diags
				}
				ts = append(ts, e)
			}
			return &typ{k: kEither, elems: ts, src: "either(" + ts[0].src + ", " + ts[1].src + ")"}, nil
		case "oneOf":
			tup, ok := oneArg(args).(*hclsyntax.TupleConsExpr)
			if !ok || len(tup.Exprs) == 0 {
				return bad("oneOf takes a list of types, such as oneOf([int, str]).")
			}
			var ts []*typ
			var srcs []string
			for _, a := range tup.Exprs {
				e, diags := parseTypeSyntax(a)
				if diags.HasErrors() {
					return nil, diags
				}
				ts = append(ts, e)
				srcs = append(srcs, e.src)
			}
			return &typ{k: kOneOf, elems: ts, src: "oneOf([" + strings.Join(srcs, ", ") + "])"}, nil
		case "intBetween":
			if len(args) != 2 {
				return bad("intBetween takes two whole numbers, the bounds.")
			}
			lo, ok1 := lit(0)
			hi, ok2 := lit(1)
			if !ok1 || !ok2 || lo.Type() != cty.Number || hi.Type() != cty.Number || !isWhole(lo) || !isWhole(hi) {
				return bad("intBetween takes two whole numbers, the bounds.")
			}
			l, _ := lo.AsBigFloat().Int(nil)
			h, _ := hi.AsBigFloat().Int(nil)
			if l.Cmp(h) > 0 {
				return bad("The lower bound of intBetween is above the upper one.")
			}
			return &typ{k: kIntBetween, lo: l, hi: h, src: fmt.Sprintf("intBetween(%s, %s)", l, h)}, nil
		case "strMatching":
			v, ok := lit(0)
			if len(args) != 1 || !ok || v.Type() != cty.String {
				return bad("strMatching takes one string, a regular expression.")
			}
			re, err := regexp.Compile(`^(?:` + v.AsString() + `)$`)
			if err != nil {
				return bad(fmt.Sprintf("strMatching: bad regular expression: %v.", err))
			}
			return &typ{k: kStrMatching, re: re, sep: v.AsString(), src: fmt.Sprintf("strMatching(%q)", v.AsString())}, nil
		case "separatedString":
			v, ok := lit(0)
			if len(args) != 1 || !ok || v.Type() != cty.String {
				return bad("separatedString takes one string, the separator.")
			}
			return &typ{k: kSeparated, sep: v.AsString(), src: fmt.Sprintf("separatedString(%q)", v.AsString())}, nil
		case "enum":
			v, ok := lit(0)
			if len(args) != 1 || !ok || !(v.Type().IsTupleType() || v.Type().IsListType()) {
				return bad("enum takes one list of the allowed values.")
			}
			var vals []cty.Value
			var srcs []string
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				vals = append(vals, e)
				srcs = append(srcs, string(appendJSONValue(nil, e, true)))
			}
			return &typ{k: kEnum, enum: vals, src: "enum([" + strings.Join(srcs, ", ") + "])"}, nil
		}
		if _, ok := simpleTypes[n]; ok {
			return bad(fmt.Sprintf("The type %s takes no arguments.", n))
		}
		return bad(fmt.Sprintf("Unknown type %q%s.", n, didYouMean(n, typeNames)))
	}
	return bad("A type is a name such as str or a call such as attrsOf(str); it is read, not evaluated.")
}

func oneArg(args []hclsyntax.Expression) hclsyntax.Expression {
	if len(args) != 1 {
		return nil
	}
	return args[0]
}

// subTree returns the nested option tree of a submodule type, looking
// through attrsOf, listOf, nullOr, uniq, either and oneOf; nil when there is
// none.
func (t *typ) subTree() *declNode {
	sub, _ := t.findSub()
	return sub
}

// findSub returns the submodule tree of t and whether the way to it goes
// through an element of an attrsOf or a listOf (so its options sit below
// an element key).
func (t *typ) findSub() (*declNode, bool) {
	if t == nil {
		return nil, false
	}
	if t.k == kSubmodule {
		return t.sub, false
	}
	for _, e := range t.elems {
		if sub, keyed := e.findSub(); sub != nil {
			return sub, keyed || t.k == kAttrsOf || t.k == kListOf || t.k == kNonEmptyListOf
		}
	}
	return nil, false
}

// words is the type in words, as NixOS's description prints it.
func (t *typ) words() string {
	switch t.k {
	case kStr:
		return "string"
	case kNonEmptyStr:
		return "non-empty string"
	case kSingleLineStr:
		return "(optionally newline-terminated) single-line string"
	case kStrMatching:
		return "string matching the pattern " + t.sep
	case kLines:
		return "strings concatenated with \"\\n\""
	case kCommas:
		return "strings concatenated with \",\""
	case kSeparated:
		return fmt.Sprintf("strings concatenated with %q", t.sep)
	case kInt:
		return "signed integer"
	case kIntBetween:
		return fmt.Sprintf("integer between %s and %s (both inclusive)", t.lo, t.hi)
	case kPositiveInt:
		return "positive integer, meaning >0"
	case kUnsignedInt:
		return "unsigned integer, meaning >=0"
	case kPort:
		return "16 bit unsigned integer; between 0 and 65535 (both inclusive)"
	case kFloat:
		return "floating point number"
	case kNumber:
		return "signed integer or floating point number"
	case kBool:
		return "boolean"
	case kBoolByOr:
		return "boolean (merged using or)"
	case kPath:
		return "path"
	case kEnum:
		var s []string
		for _, v := range t.enum {
			s = append(s, string(appendJSONValue(nil, v, true)))
		}
		return "one of " + strings.Join(s, ", ")
	case kAnything:
		return "anything"
	case kRaw:
		return "raw value"
	case kListOf:
		return "list of " + t.elems[0].words()
	case kNonEmptyListOf:
		return "non-empty list of " + t.elems[0].words()
	case kAttrsOf:
		return "attribute set of " + t.elems[0].words()
	case kNullOr:
		return "null or " + t.elems[0].words()
	case kEither:
		return t.elems[0].words() + " or " + t.elems[1].words()
	case kOneOf:
		var s []string
		for _, e := range t.elems {
			s = append(s, e.words())
		}
		return strings.Join(s, " or ")
	case kUniq:
		return t.elems[0].words()
	case kSubmodule:
		return "submodule"
	}
	return "unknown type"
}

// joins reports whether t merges by joining strings.
func (t *typ) joins() bool { return t.k == kLines || t.k == kCommas || t.k == kSeparated }

func isWhole(v cty.Value) bool {
	return v.IsKnown() && !v.IsNull() && v.Type() == cty.Number && v.AsBigFloat().IsInt()
}

var (
	big0     = big.NewInt(0)
	big1     = big.NewInt(1)
	big65535 = big.NewInt(65535)
)

// accepts reports whether a value (with no property functions in it) is
// of type t. Submodule values are only checked to be objects.
func (t *typ) accepts(v cty.Value) bool {
	if !v.IsKnown() {
		return true
	}
	if v.IsNull() {
		return t.k == kNullOr || t.k == kAnything || t.k == kRaw
	}
	ty := v.Type()
	if isProp(v) {
		return false
	}
	switch t.k {
	case kStr, kPath:
		return ty == cty.String
	case kLines, kCommas, kSeparated:
		return ty == cty.String
	case kNonEmptyStr:
		return ty == cty.String && strings.TrimSpace(v.AsString()) != ""
	case kSingleLineStr:
		return ty == cty.String && !strings.Contains(strings.TrimSuffix(v.AsString(), "\n"), "\n")
	case kStrMatching:
		return ty == cty.String && t.re.MatchString(v.AsString())
	case kInt, kIntBetween, kPositiveInt, kUnsignedInt, kPort:
		if ty != cty.Number {
			return false
		}
		f := v.AsBigFloat()
		if !f.IsInt() {
			return false
		}
		if i, acc := f.Int64(); acc == big.Exact {
			switch t.k {
			case kIntBetween:
				if t.lo.IsInt64() && t.hi.IsInt64() {
					return i >= t.lo.Int64() && i <= t.hi.Int64()
				}
			case kPositiveInt:
				return i >= 1
			case kUnsignedInt:
				return i >= 0
			case kPort:
				return i >= 0 && i <= 65535
			default:
				return true
			}
		}
		n, _ := f.Int(nil)
		switch t.k {
		case kIntBetween:
			return n.Cmp(t.lo) >= 0 && n.Cmp(t.hi) <= 0
		case kPositiveInt:
			return n.Cmp(big1) >= 0
		case kUnsignedInt:
			return n.Cmp(big0) >= 0
		case kPort:
			return n.Cmp(big0) >= 0 && n.Cmp(big65535) <= 0
		}
		return true
	case kFloat, kNumber:
		return ty == cty.Number
	case kBool, kBoolByOr:
		return ty == cty.Bool
	case kEnum:
		for _, e := range t.enum {
			if e.Type() == ty && e.Equals(v).True() {
				return true
			}
		}
		return false
	case kAnything, kRaw:
		return !hasProp(v)
	case kListOf, kNonEmptyListOf:
		if !isList(ty) {
			return false
		}
		if t.k == kNonEmptyListOf && v.LengthInt() == 0 {
			return false
		}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !t.elems[0].accepts(e) {
				return false
			}
		}
		return true
	case kAttrsOf:
		if !isObject(ty) {
			return false
		}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if !t.elems[0].accepts(e) {
				return false
			}
		}
		return true
	case kNullOr, kUniq:
		return t.elems[0].accepts(v)
	case kEither, kOneOf:
		for _, e := range t.elems {
			if e.accepts(v) {
				return true
			}
		}
		return false
	case kSubmodule:
		return isObject(ty)
	}
	return false
}

func isList(ty cty.Type) bool   { return ty.IsTupleType() || ty.IsListType() || ty.IsSetType() }
func isObject(ty cty.Type) bool { return ty.IsObjectType() || ty.IsMapType() }
