package iso

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// WriteFile writes src to the file dst atomically: into a temporary file
// in dst's directory, which is synced and then renamed to dst. On any
// error, cancellation included, the temporary file is removed and dst is
// left as it was. When src is a *Writer, ctx also stops the writing.
func WriteFile(ctx context.Context, dst string, src io.WriterTo) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp*")
	if err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if w, ok := src.(*Writer); ok {
		_, err = w.WriteContext(ctx, f)
	} else {
		_, err = src.WriteTo(&ctxWriter{ctx: ctx, w: f})
	}
	if err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	if err = ctx.Err(); err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	if err = os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("iso: writing %s: %w", dst, err)
	}
	return nil
}

// ctxWriter fails writes once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(b)
}

// SourceDateEpoch returns the time in the SOURCE_DATE_EPOCH environment
// variable (https://reproducible-builds.org/specs/source-date-epoch/), read
// through getenv (os.Getenv, or a map's lookup in tests). It returns the
// zero time when the variable is unset or empty, and an error when it is
// not a decimal number of seconds.
func SourceDateEpoch(getenv func(string) string) (time.Time, error) {
	v := strings.TrimSpace(getenv("SOURCE_DATE_EPOCH"))
	if v == "" {
		return time.Time{}, nil
	}
	s, err := strconv.ParseInt(v, 10, 64)
	if err != nil || s < 0 || s > 253402300799 {
		return time.Time{}, fmt.Errorf("iso: SOURCE_DATE_EPOCH=%q is not a number of seconds between 0 and 253402300799", v)
	}
	return time.Unix(s, 0).UTC(), nil
}
