package priority_test

import (
	"fmt"
	"testing"

	"github.com/strata-build/strata/priority"
)

func TestNumbers(t *testing.T) {
	tests := []struct {
		name string
		got  int
		want int
	}{
		{name: "VMOverride", got: int(priority.VMOverride), want: 10},
		{name: "Force", got: int(priority.Force), want: 50},
		{name: "ImageMedia", got: int(priority.ImageMedia), want: 60},
		{name: "Plain", got: int(priority.Plain), want: 100},
		{name: "Default", got: int(priority.Default), want: 1000},
		{name: "OptionDefault", got: int(priority.OptionDefault), want: 1500},
		{name: "Before", got: int(priority.Before), want: 500},
		{name: "DefaultOrder", got: int(priority.DefaultOrder), want: 1000},
		{name: "After", got: int(priority.After), want: 1500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
			}
		})
	}
}

func TestStrongerWins(t *testing.T) {
	// Lower numbers are stronger: the chain the profiles rely on.
	chain := []priority.Priority{priority.VMOverride, priority.Force, priority.ImageMedia,
		priority.Plain, priority.Default, priority.OptionDefault}
	for i := 1; i < len(chain); i++ {
		if !(chain[i-1] < chain[i]) {
			t.Errorf("%v should beat %v", chain[i-1], chain[i])
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name string
		p    priority.Priority
		want string
	}{
		{name: "force", p: priority.Force, want: "50 (mkForce)"},
		{name: "image media", p: priority.ImageMedia, want: "60 (mkImageMediaOverride)"},
		{name: "plain", p: priority.Plain, want: "100 (plain)"},
		{name: "other", p: 77, want: "77"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
	for _, f := range priority.Functions() {
		if f.Priority != 0 && f.Priority.Name() != f.Name {
			t.Errorf("Functions: %s has priority %v named %s", f.Name, f.Priority, f.Priority.Name())
		}
		if f.Order != 0 && f.Order.Name() != f.Name {
			t.Errorf("Functions: %s has order %v named %s", f.Name, f.Order, f.Order.Name())
		}
	}
	if priority.Priority(10000).Valid() || priority.Priority(-1).Valid() || !priority.Priority(0).Valid() {
		t.Error("Valid disagrees with the range 0..9999")
	}
}

// The priorities a cd-dvd profile and a host use: the profile's image-media
// override beats the host's plain setting, and the host's mkForce beats both.
func ExamplePriority() {
	fmt.Println(priority.ImageMedia < priority.Plain, priority.Force < priority.ImageMedia)
	fmt.Println(priority.ImageMedia)
	// Output:
	// true true
	// 60 (mkImageMediaOverride)
}
