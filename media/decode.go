package media

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
)

// FromResult fills a Spec from a merged configuration that imports one of
// the profiles bases: the options named by the Opt constants, each option's
// merged definitions as Places, and r's JSON as Config. An option the
// configuration does not declare leaves its field zero; Plan and
// PlanNetboot report what is missing.
//
// A configuration without the isoImage options (the netboot base) gets the
// minimal image, just what it needs to boot: volume ID NetbootVolumeID, BIOS
// boot when boot.files.isolinux and ldlinux are set, UEFI boot when
// boot.files.efiLoader is, and the hybrid MBR (and GPT) when
// boot.files.isohybridMbr is set too.
//
// The caller may set the Spec's FS and ModTime before planning. The Spec is
// nil whenever the diagnostics have errors.
func FromResult(r *merge.Result) (*Spec, hcl.Diagnostics) {
	d := &decoder{r: r, declared: map[string]bool{}, s: &Spec{Places: map[string][]hcl.Range{}}}
	for _, o := range r.Options() {
		d.declared[o.Path.String()] = true
	}
	s := d.s
	d.str(OptVolumeID, &s.VolumeID)
	d.str(OptKernel, &s.Kernel)
	d.str(OptInitrd, &s.Initrd)
	d.str(OptIsolinux, &s.Isolinux)
	d.str(OptLdlinux, &s.Ldlinux)
	d.str(OptIsohybridMBR, &s.IsohybridMBR)
	d.str(OptEFILoader, &s.EFILoader)
	d.str(OptKernelFile, &s.KernelFile)
	d.str(OptInitrdFile, &s.InitrdFile)
	d.strs(OptKernelParams, &s.KernelParams)
	d.timeout(OptTimeout, &s.Timeout)
	d.str(OptDistroName, &s.DistroName)
	d.str(OptSystemLabel, &s.SystemLabel)
	d.str(OptPrependToLabel, &s.PrependToMenuLabel)
	d.str(OptConfigurationName, &s.ConfigurationName)
	d.str(OptAppendToLabel, &s.AppendToMenuLabel)
	d.str(OptScriptName, &s.ScriptName)
	d.boolean(OptBIOS, &s.BIOS)
	d.boolean(OptEFI, &s.EFI)
	d.boolean(OptUSB, &s.USB)
	d.contents(OptContents, &s.Contents)
	if !d.declared[OptBIOS] && !d.declared[OptEFI] && !d.declared[OptVolumeID] {
		s.VolumeID = NetbootVolumeID
		s.BIOS = s.Isolinux != "" && s.Ldlinux != ""
		s.EFI = s.EFILoader != ""
		s.USB = s.BIOS && s.IsohybridMBR != ""
	}
	if d.diags.HasErrors() {
		return nil, d.diags
	}
	js, err := r.MarshalJSON()
	if err != nil {
		d.diags = append(d.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Configuration not encodable",
			Detail: fmt.Sprintf("The merged configuration cannot be written as JSON: %v.", err)})
		return nil, d.diags
	}
	s.Config = js
	return s, d.diags
}

// NetbootVolumeID is the volume ID of the minimal image of a configuration
// that has no isoImage options, such as one on the netboot base.
const NetbootVolumeID = "STRATA_NETBOOT"

type decoder struct {
	r        *merge.Result
	declared map[string]bool
	s        *Spec
	diags    hcl.Diagnostics
}

// get returns the value of opt, cty.NilVal when it is not declared or has
// errors (added to d.diags), and records the places of its definitions.
func (d *decoder) get(opt string) cty.Value {
	if !d.declared[opt] {
		return cty.NilVal
	}
	v, diags := d.r.Get(opt)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal
	}
	if ex, diags := d.r.Explain(opt); !diags.HasErrors() && ex != nil {
		var merged []*merge.Definition
		for _, def := range ex.Definitions {
			if _, ok := def.Status.(merge.Merged); ok {
				d.s.Places[opt] = append(d.s.Places[opt], def.Range)
				merged = append(merged, def)
			}
		}
		d.elementPlaces(opt, v, merged)
	}
	if !v.IsWhollyKnown() {
		d.wrongType(opt, "a known value", v)
		return cty.NilVal
	}
	return v
}

// elementPlaces records, for a list option, the definition each element of
// the merged list v came from, as "opt[i]": the merged definitions'
// lists concatenated in definition order, stably sorted by their list
// order (docs/module-format.md, section 2). When the lengths do not add up
// (an element dropped by mkIf, say), no element gets places of its own.
func (d *decoder) elementPlaces(opt string, v cty.Value, merged []*merge.Definition) {
	if !v.IsKnown() || v.IsNull() || !(v.Type().IsListType() || v.Type().IsTupleType()) {
		return
	}
	defs := slices.Clone(merged)
	slices.SortStableFunc(defs, func(a, b *merge.Definition) int { return cmp.Compare(a.Order, b.Order) })
	var ranges []hcl.Range
	for _, def := range defs {
		dv := def.Value
		if dv == cty.NilVal || !dv.IsKnown() || dv.IsNull() || !dv.CanIterateElements() {
			return
		}
		for range dv.LengthInt() {
			ranges = append(ranges, def.Range)
		}
	}
	if len(ranges) != v.LengthInt() {
		return
	}
	for i, r := range ranges {
		d.s.Places[fmt.Sprintf("%s[%d]", opt, i)] = []hcl.Range{r}
	}
}

func (d *decoder) wrongType(opt, want string, v cty.Value) {
	diag := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Option of the wrong type for boot media",
		Detail: fmt.Sprintf("The media builder reads %s as %s, but its value is of type %s. Declare it as the profiles package does.", opt, want, v.Type().FriendlyName())}
	if p := d.s.Places[opt]; len(p) > 0 {
		r := p[0]
		diag.Subject = &r
	}
	d.diags = append(d.diags, diag)
}

func (d *decoder) str(opt string, dst *string) {
	v := d.get(opt)
	switch {
	case v == cty.NilVal || v.IsNull():
	case v.Type() == cty.String:
		*dst = v.AsString()
	default:
		d.wrongType(opt, "a string", v)
	}
}

func (d *decoder) boolean(opt string, dst *bool) {
	v := d.get(opt)
	switch {
	case v == cty.NilVal || v.IsNull():
	case v.Type() == cty.Bool:
		*dst = v.True()
	default:
		d.wrongType(opt, "a bool", v)
	}
}

func (d *decoder) timeout(opt string, dst **int) {
	v := d.get(opt)
	switch {
	case v == cty.NilVal || v.IsNull():
		*dst = nil
	case v.Type() == cty.Number:
		bf := v.AsBigFloat()
		n, acc := bf.Int64()
		if acc != big.Exact || n < -1<<31 || n > 1<<31-1 {
			d.wrongType(opt, "a whole number of seconds", v)
			return
		}
		i := int(n)
		*dst = &i
	default:
		d.wrongType(opt, "a number or null", v)
	}
}

func (d *decoder) strs(opt string, dst *[]string) {
	v := d.get(opt)
	if v == cty.NilVal || v.IsNull() {
		return
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		d.wrongType(opt, "a list of strings", v)
		return
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || e.Type() != cty.String {
			d.wrongType(opt, "a list of strings", v)
			return
		}
		*dst = append(*dst, e.AsString())
	}
}

func (d *decoder) contents(opt string, dst *[]Content) {
	v := d.get(opt)
	if v == cty.NilVal || v.IsNull() {
		return
	}
	if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
		d.wrongType(opt, "a list of {source, target}", v)
		return
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		var c Content
		ok := !e.IsNull() && (e.Type().IsObjectType() || e.Type().IsMapType())
		for _, f := range []struct {
			name string
			dst  *string
		}{{"source", &c.Source}, {"target", &c.Target}} {
			if !ok {
				break
			}
			if e.Type().IsObjectType() && !e.Type().HasAttribute(f.name) {
				ok = false
				break
			}
			var a cty.Value
			if e.Type().IsObjectType() {
				a = e.GetAttr(f.name)
			} else if e.HasIndex(cty.StringVal(f.name)).True() {
				a = e.Index(cty.StringVal(f.name))
			} else {
				ok = false
				break
			}
			if a.IsNull() || a.Type() != cty.String {
				ok = false
				break
			}
			*f.dst = a.AsString()
		}
		if !ok {
			d.wrongType(opt, "a list of {source, target}", v)
			return
		}
		*dst = append(*dst, c)
	}
}
