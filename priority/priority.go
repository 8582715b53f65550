package priority

import "fmt"

// Priority is the override priority of a definition. Lower numbers win.
// Valid priorities are Min through Max; the zero value is not a priority a
// module can write through a named function, but mkOverride(0, v) is legal.
type Priority int

// The named priorities, lowest (strongest) first.
const (
	// VMOverride is mkVMOverride(v): settings forced for test and VM builds.
	VMOverride Priority = 10
	// Force is mkForce(v): the user's last word.
	Force Priority = 50
	// ImageMedia is mkImageMediaOverride(v): what an image profile needs in
	// order to work. It beats a plain host setting and yields to mkForce.
	ImageMedia Priority = 60
	// Plain is the priority of a definition written with no wrapper.
	Plain Priority = 100
	// Default is mkDefault(v): a module's overridable default.
	Default Priority = 1000
	// OptionDefault is mkOptionDefault(v), and the priority of the default
	// given in an option declaration.
	OptionDefault Priority = 1500
)

// Min and Max bound the numbers mkOverride(n, v) accepts.
const (
	Min Priority = 0
	Max Priority = 9999
)

// Valid reports whether p is within Min and Max.
func (p Priority) Valid() bool { return p >= Min && p <= Max }

// Name returns the HCL function that gives priority p, such as "mkForce",
// or "mkOverride(N)" for a number that has no function of its own, and
// "plain" for Plain.
func (p Priority) Name() string {
	switch p {
	case VMOverride:
		return "mkVMOverride"
	case Force:
		return "mkForce"
	case ImageMedia:
		return "mkImageMediaOverride"
	case Plain:
		return "plain"
	case Default:
		return "mkDefault"
	case OptionDefault:
		return "mkOptionDefault"
	}
	return fmt.Sprintf("mkOverride(%d)", int(p))
}

// String returns the number and, where it has one, the name: "60
// (mkImageMediaOverride)".
func (p Priority) String() string {
	n := p.Name()
	if n == fmt.Sprintf("mkOverride(%d)", int(p)) {
		return fmt.Sprint(int(p))
	}
	return fmt.Sprintf("%d (%s)", int(p), n)
}

// Order is the position of a list definition among the definitions of the
// same option: definitions are concatenated sorted by Order, ties keeping
// definition order. Lower comes first.
type Order int

// The named orders.
const (
	// Before is mkBefore(v).
	Before Order = 500
	// DefaultOrder is the order of a definition with no order wrapper.
	DefaultOrder Order = 1000
	// After is mkAfter(v).
	After Order = 1500
)

// Name returns the HCL function that gives order o: "mkBefore", "mkAfter",
// "default" for DefaultOrder, or "mkOrder(N)".
func (o Order) Name() string {
	switch o {
	case Before:
		return "mkBefore"
	case DefaultOrder:
		return "default"
	case After:
		return "mkAfter"
	}
	return fmt.Sprintf("mkOrder(%d)", int(o))
}

// String returns the number and, where it has one, the name.
func (o Order) String() string {
	switch o {
	case Before, DefaultOrder, After:
		return fmt.Sprintf("%d (%s)", int(o), o.Name())
	}
	return fmt.Sprint(int(o))
}

// Function describes one property function that sets a priority or order.
type Function struct {
	Name     string   // HCL name, such as "mkForce"
	Priority Priority // zero for order functions
	Order    Order    // zero for priority functions
}

// Functions returns the HCL property functions that take a fixed priority
// or order, in a stable order. The slice is new on every call.
func Functions() []Function {
	return []Function{
		{Name: "mkVMOverride", Priority: VMOverride},
		{Name: "mkForce", Priority: Force},
		{Name: "mkImageMediaOverride", Priority: ImageMedia},
		{Name: "mkDefault", Priority: Default},
		{Name: "mkOptionDefault", Priority: OptionDefault},
		{Name: "mkBefore", Order: Before},
		{Name: "mkAfter", Order: After},
	}
}
