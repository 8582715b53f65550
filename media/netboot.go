package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Netboot is a planned netboot folder. It is read-only once
// PlanNetboot returns it.
type Netboot struct {
	// Files are the folder's files, sorted by Path; their paths are
	// relative to the folder (such as "bzImage" and "strata/config.json").
	Files []File
}

// PlanNetboot checks s for a netboot folder: the kernel, the initrd, the
// iPXE script (s.ScriptName) that boots them with s.KernelParams, naming
// them relative to itself so the folder can be served as it is over TFTP
// or HTTP, and the configuration at ConfigPath (relative to the folder). The volume ID, the boot loader files
// and the contents are not used. The *Netboot is nil whenever the
// diagnostics have errors.
func PlanNetboot(s *Spec) (*Netboot, hcl.Diagnostics) {
	p := &planner{s: s, l: &Layout{}, seen: map[string]string{}}
	for _, kp := range s.KernelParams {
		p.checkParam(kp)
	}
	p.checkLabels()
	p.checkNames()
	if p.diags.HasErrors() {
		sortDiags(p.diags)
		return nil, p.diags
	}
	p.addInput(s.kernelFile(), OptKernel, s.Kernel)
	p.addInput(s.initrdFile(), OptInitrd, s.Initrd)
	p.addBytes(s.scriptName(), []byte(ipxeScript(s)))
	if s.Config != nil {
		p.addBytes(ConfigPath[1:], s.Config)
	}
	sortDiags(p.diags)
	if p.diags.HasErrors() {
		return nil, p.diags
	}
	sort.Slice(p.l.Files, func(i, j int) bool { return p.l.Files[i].Path < p.l.Files[j].Path })
	return &Netboot{Files: p.l.Files}, p.diags
}

// WriteDir writes the netboot folder to dir, atomically: the files go to a
// new folder next to dir, which then takes dir's place. On error, dir is as
// it was. An existing dir must be a folder; it is replaced whole. Missing
// parent folders are made.
func (n *Netboot) WriteDir(ctx context.Context, dir string) (err error) {
	dir = filepath.Clean(dir)
	if fi, err := os.Lstat(dir); err == nil && !fi.IsDir() {
		return fmt.Errorf("media: %s exists and is not a folder", dir)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	for _, f := range n.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(tmp, filepath.FromSlash(f.Path)), f); err != nil {
			return err
		}
	}
	if _, err := os.Lstat(dir); err == nil {
		old, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-")
		if err != nil {
			return fmt.Errorf("media: %w", err)
		}
		trash := filepath.Join(old, "d")
		if err := os.Rename(dir, trash); err != nil {
			os.Remove(old)
			return fmt.Errorf("media: %w", err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			// Put the old folder back.
			if rerr := os.Rename(trash, dir); rerr != nil {
				err = errors.Join(err, fmt.Errorf("the previous %s is now %s", dir, trash))
			}
			return fmt.Errorf("media: %w", err)
		}
		return os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	return nil
}

// writeFile writes f to name, checking its planned size.
func writeFile(name string, f File) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("media: %w", err)
	}
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("media: %s: %w", f.Path, err)
	}
	defer r.Close()
	w, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	n, err := io.Copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("media: %s: %w", f.Path, err)
	}
	if n != f.Size {
		return fmt.Errorf("media: %s: %w (planned %d bytes, read %d)", path.Clean(f.Path), ErrSizeChanged, f.Size, n)
	}
	return nil
}

// ErrSizeChanged is returned (wrapped) when an input file's size differs
// from the size it had when the media were planned.
var ErrSizeChanged = errors.New("media: input size changed since planning")
