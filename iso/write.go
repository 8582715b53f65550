package iso

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// WriteTo writes the image to out, planning the layout first if Size was
// not called. It returns the number of bytes written. The image is
// written once: a second call returns ErrWritten. Every error is sticky.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	return w.WriteContext(context.Background(), out)
}

// WriteContext is WriteTo with a context: when ctx is done, writing stops
// and ctx's error is returned (wrapped).
func (w *Writer) WriteContext(ctx context.Context, out io.Writer) (int64, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.done {
		return 0, ErrWritten
	}
	if err := w.planOnce(); err != nil {
		return 0, err
	}
	w.done = true
	cw := &countWriter{w: out, ctx: ctx}
	e := &emitter{p: w.plan, ctx: ctx, bw: bufio.NewWriterSize(cw, 256<<10), progress: w.opts.Progress}
	err := e.run()
	if err == nil {
		err = e.bw.Flush()
	}
	if err == nil && e.pos != w.plan.total {
		err = fmt.Errorf("iso: internal error: wrote %d bytes, planned %d", e.pos, w.plan.total)
	}
	if err != nil {
		if cw.err != nil && !errors.Is(err, cw.err) {
			err = cw.err
		}
		w.err = err
		return cw.n, err
	}
	if e.progress != nil {
		e.progress(e.pos, w.plan.total)
	}
	return cw.n, nil
}

// countWriter counts bytes and stops on a cancelled context.
type countWriter struct {
	w   io.Writer
	ctx context.Context
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		c.err = fmt.Errorf("iso: writing stopped: %w", err)
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	if err != nil {
		c.err = fmt.Errorf("iso: writing the image: %w", err)
	}
	return n, c.err
}

// emitter writes the planned image front to back.
type emitter struct {
	p        *plan
	ctx      context.Context
	bw       *bufio.Writer
	pos      int64
	buf      []byte
	progress func(done, total int64)
	lastProg int64
}

func (e *emitter) write(b []byte) error {
	n, err := e.bw.Write(b)
	e.pos += int64(n)
	return err
}

func (e *emitter) zeros(n int64) error {
	var z [sector]byte
	for n > 0 {
		k := min(n, sector)
		if err := e.write(z[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// at checks that the writer is where the plan put the next part.
func (e *emitter) at(lba uint32, what string) error {
	if e.pos != int64(lba)*sector {
		return fmt.Errorf("iso: internal error: %s planned at byte %d, writing at %d", what, int64(lba)*sector, e.pos)
	}
	return nil
}

func (e *emitter) run() error {
	p := e.p
	if err := e.write(p.systemArea()); err != nil {
		return err
	}
	if err := e.write(p.volumeDescriptor(false)); err != nil {
		return err
	}
	if p.catalog != nil {
		if err := e.write(p.bootRecord()); err != nil {
			return err
		}
	}
	if p.joliet {
		if err := e.write(p.volumeDescriptor(true)); err != nil {
			return err
		}
	}
	term := make([]byte, sector) // ECMA-119 8.3
	term[0] = 255
	copy(term[1:], "CD001")
	term[6] = 1
	if err := e.write(term); err != nil {
		return err
	}
	if err := e.at(p.isoPTL, "path tables"); err != nil {
		return err
	}
	for _, t := range []struct {
		joliet, msb bool
		on          bool
	}{{false, false, true}, {false, true, true}, {true, false, p.joliet}, {true, true, p.joliet}} {
		if t.on {
			if err := e.write(p.pathTable(t.joliet, t.msb)); err != nil {
				return err
			}
		}
	}
	if p.catalog != nil {
		if err := e.at(p.catalog.extent, "boot catalog"); err != nil {
			return err
		}
		if err := e.write(p.bootCatalog()); err != nil {
			return err
		}
	}
	for _, d := range p.isoDirs {
		if err := e.at(d.dir.isoLBA, "directory"); err != nil {
			return err
		}
		if err := e.isoDir(d); err != nil {
			return err
		}
	}
	if err := e.at(p.ceLBA, "continuation areas"); err != nil {
		return err
	}
	if err := e.write(p.continuationAreas()); err != nil {
		return err
	}
	for _, d := range p.jolDirs {
		if err := e.at(d.dir.jolLBA, "Joliet directory"); err != nil {
			return err
		}
		if err := e.jolietDir(d); err != nil {
			return err
		}
	}
	e.buf = make([]byte, 1<<20)
	if err := e.files(); err != nil {
		return err
	}
	if !p.hybrid {
		return e.zeros(p.total - e.pos)
	}
	arr := p.gptArray()
	backup := int64(p.sectors512()-1-gptSectors) * 512
	if err := e.zeros(backup - e.pos); err != nil {
		return err
	}
	if err := e.write(arr); err != nil {
		return err
	}
	return e.write(p.gptHeader(arr, false))
}

// Small files are read ahead by a few goroutines while earlier data is
// written: with many small files, the time goes to opening and reading
// them one after the other, not to copying.
const (
	prefetchMax     = 128 << 10 // largest file read ahead whole
	prefetchFiles   = 16        // files read ahead at most (20 buffers: 2.5 MiB)
	prefetchWorkers = 4         // files open at once at most
)

// fetched is a file read ahead, or a note that it was not (direct).
type fetched struct {
	data   []byte
	err    error
	direct bool
}

// files writes the data of every file, reading small ones ahead.
func (e *emitter) files() error {
	files := e.p.files
	if len(files) == 0 {
		return nil
	}
	done := make(chan struct{})
	pending := make(chan chan fetched, prefetchFiles)
	type job struct {
		n  *node
		ch chan fetched
	}
	jobs := make(chan job)
	// Buffers go round: a worker takes one, the writer gives it back.
	free := make(chan []byte, prefetchFiles+prefetchWorkers)
	for range cap(free) {
		free <- make([]byte, prefetchMax)
	}
	var wg sync.WaitGroup
	wg.Add(1 + prefetchWorkers)
	go func() { // feeder: hands out files in order, at most prefetchFiles ahead
		defer wg.Done()
		defer close(jobs)
		defer close(pending)
		for _, n := range files {
			ch := make(chan fetched, 1)
			select {
			case pending <- ch:
			case <-done:
				return
			}
			select {
			case jobs <- job{n, ch}:
			case <-done:
				return
			}
		}
	}()
	for range prefetchWorkers {
		go func() {
			defer wg.Done()
			for j := range jobs {
				if j.n.size > prefetchMax || j.n == e.p.bios {
					j.ch <- fetched{direct: true}
					continue
				}
				var buf []byte
				select {
				case buf = <-free:
				case <-done:
					j.ch <- fetched{err: errStopped}
					continue
				}
				data, err := e.p.readWhole(j.n, buf)
				j.ch <- fetched{data: data, err: err}
			}
		}()
	}
	defer wg.Wait()
	defer close(done)
	for _, n := range files {
		ch := <-pending
		f := <-ch
		if err := e.at(n.extent, "file data"); err != nil {
			return err
		}
		if err := e.ctx.Err(); err != nil {
			return fmt.Errorf("iso: writing stopped: %w", err)
		}
		var err error
		switch {
		case f.err != nil:
			err = f.err
		case f.direct:
			err = e.file(n)
		default:
			err = e.write(f.data)
			free <- f.data[:cap(f.data)]
		}
		if err != nil {
			return err
		}
		if err := e.endFile(n); err != nil {
			return err
		}
	}
	return nil
}

// open opens a file's data.
func (p *plan) open(n *node, path string) (io.ReadCloser, error) {
	var rc io.ReadCloser
	var err error
	switch {
	case n.fsys != nil:
		rc, err = n.fsys.Open(path)
	case n.open != nil:
		rc, err = n.open()
	default:
		return nil, fmt.Errorf("iso: file %q: %w: added with %d bytes and no Open function", path, ErrSizeChanged, n.size)
	}
	if err != nil {
		return nil, fmt.Errorf("iso: opening file %q: %w", path, err)
	}
	return rc, nil
}

// errStopped stands in for the data of files not read because writing
// stopped; it is never returned.
var errStopped = errors.New("iso: stopped")

// readWhole reads a small file into buf, checking its size.
func (p *plan) readWhole(n *node, buf []byte) ([]byte, error) {
	path := n.path()
	rc, err := p.open(n, path)
	if err != nil {
		return buf[:0], err
	}
	data := buf[:n.size]
	k, err := io.ReadFull(rc, data)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		err = fmt.Errorf("iso: file %q: %w: added with %d bytes, found %d", path, ErrSizeChanged, n.size, k)
	case err != nil:
		err = fmt.Errorf("iso: reading file %q: %w", path, err)
	default:
		err = checkEOF(rc, n, path)
	}
	if cerr := rc.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("iso: closing file %q: %w", path, cerr)
	}
	return data, err
}

// file copies one file's data, checking its size.
func (e *emitter) file(n *node) error {
	path := n.path()
	rc, err := e.p.open(n, path)
	if err != nil {
		return err
	}
	err = e.copyData(rc, n, path)
	if cerr := rc.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("iso: closing file %q: %w", path, cerr)
	}
	return err
}

// endFile pads a file's last sector and reports progress.
func (e *emitter) endFile(n *node) error {
	if pad := (sector - n.size%sector) % sector; pad > 0 {
		if err := e.zeros(pad); err != nil {
			return err
		}
	}
	if e.progress != nil {
		e.progress(e.pos, e.p.total)
		e.lastProg = e.pos
	}
	return nil
}

func (e *emitter) copyData(r io.Reader, n *node, path string) error {
	short := func(got int64) error {
		return fmt.Errorf("iso: file %q: %w: added with %d bytes, found %d", path, ErrSizeChanged, n.size, got)
	}
	if n == e.p.bios && !e.p.opts.Boot.NoBootInfoTable {
		data := make([]byte, n.size)
		if k, err := io.ReadFull(r, data); err != nil {
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return short(int64(k))
			}
			return fmt.Errorf("iso: reading file %q: %w", path, err)
		}
		if err := checkEOF(r, n, path); err != nil {
			return err
		}
		e.p.patchBootInfo(data)
		return e.write(data)
	}
	var done int64
	for done < n.size {
		k := int(min(int64(len(e.buf)), n.size-done))
		got, err := io.ReadFull(r, e.buf[:k])
		if err != nil {
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return short(done + int64(got))
			}
			return fmt.Errorf("iso: reading file %q: %w", path, err)
		}
		if err := e.write(e.buf[:k]); err != nil {
			return err
		}
		done += int64(k)
		if done < n.size {
			if err := e.ctx.Err(); err != nil {
				return fmt.Errorf("iso: writing stopped: %w", err)
			}
			if e.progress != nil && e.pos-e.lastProg >= 16<<20 {
				e.progress(e.pos, e.p.total)
				e.lastProg = e.pos
			}
		}
	}
	return checkEOF(r, n, path)
}

// checkEOF makes sure a file has no more data than its size.
func checkEOF(r io.Reader, n *node, path string) error {
	var one [1]byte
	_, err := io.ReadFull(r, one[:])
	switch err {
	case io.EOF:
		return nil
	case nil:
		return fmt.Errorf("iso: file %q: %w: added with %d bytes, it has more", path, ErrSizeChanged, n.size)
	}
	return fmt.Errorf("iso: reading file %q: %w", path, err)
}

// sectorWriter writes directory records, none crossing a sector boundary.
type sectorWriter struct {
	e    *emitter
	sec  [sector]byte
	off  int
	done uint32
	err  error
}

func (s *sectorWriter) add(rec []byte) {
	if s.err != nil {
		return
	}
	if s.off+len(rec) > sector {
		s.flush()
	}
	copy(s.sec[s.off:], rec)
	s.off += len(rec)
}

func (s *sectorWriter) flush() {
	if s.err != nil {
		return
	}
	clear(s.sec[s.off:])
	s.err = s.e.write(s.sec[:])
	s.off = 0
	s.done += sector
}

// finish pads the directory to its planned size.
func (s *sectorWriter) finish(size uint32) error {
	if s.off > 0 {
		s.flush()
	}
	if s.err != nil {
		return s.err
	}
	if s.done != size {
		return fmt.Errorf("iso: internal error: directory of %d bytes planned as %d", s.done, size)
	}
	return nil
}

// record builds one directory record (ECMA-119 9.1) in buf.
func record(buf []byte, id string, lba, size uint32, flags byte, t time.Time, su []byte) []byte {
	l := 33 + len(id)
	if len(id)%2 == 0 {
		l++ // ECMA-119 9.1.12: padding field
	}
	suAt := l
	l += len(su)
	l += l % 2
	b := buf[:l]
	clear(b)
	b[0] = byte(l)
	putBoth32(b[2:], lba)
	putBoth32(b[10:], size)
	putDirDate(b[18:], t)
	b[25] = flags
	putBoth16(b[28:], 1)
	b[32] = byte(len(id))
	copy(b[33:], id)
	copy(b[suAt:], su)
	return b
}

// su returns the encoded SUSP area of a record whose identifier is idLen
// bytes long.
func (p *plan) su(dst []byte, n *node, kind recKind, idLen int) []byte {
	if !p.rr {
		return dst[:0]
	}
	ents := p.suEntries(n, kind)
	base := 33 + idLen + (idLen+1)%2
	head, pieces := splitSU(ents, 255-base)
	dst = dst[:0]
	for _, en := range ents[:head] {
		dst = append(dst, en...)
	}
	if pieces != nil {
		dst = append(dst, p.ceEntry(p.ceFirst[ceKey{n, kind}])...)
	}
	return dst
}

// ceEntry returns a CE entry pointing at continuation piece i (SUSP 5.1).
func (p *plan) ceEntry(i int) []byte {
	c := p.cePieces[i]
	ce := suEntry("CE", ceLen)
	putBoth32(ce[4:], p.ceLBA+c.sector)
	putBoth32(ce[12:], uint32(c.off))
	putBoth32(ce[20:], uint32(c.len))
	return ce
}

// continuationAreas returns the continuation area sectors.
func (p *plan) continuationAreas() []byte {
	area := make([]byte, int(p.ceSectors)*sector)
	for _, k := range p.ceOwners {
		ents := p.suEntries(k.n, k.kind)
		idLen := 1
		if k.kind == recSelf {
			idLen = len(k.n.isoName)
		}
		head, pieces := splitSU(ents, 255-(33+idLen+(idLen+1)%2))
		first := p.ceFirst[k]
		at := head
		for j, cnt := range pieces {
			loc := p.cePieces[first+j]
			o := int(loc.sector)*sector + int(loc.off)
			for _, en := range ents[at : at+cnt] {
				o += copy(area[o:], en)
			}
			at += cnt
			if j < len(pieces)-1 {
				copy(area[o:], p.ceEntry(first+j+1))
			}
		}
	}
	return area
}

func (e *emitter) isoDir(d *node) error {
	p := e.p
	s := &sectorWriter{e: e}
	var rb [256]byte
	var sb [256]byte
	parent := d.dir.isoParent
	if parent == nil {
		parent = d
	}
	s.add(record(rb[:], "\x00", d.dir.isoLBA, d.dir.isoSize, 2, p.timeOf(d), p.su(sb[:], d, recDot, 1)))
	s.add(record(rb[:], "\x01", parent.dir.isoLBA, parent.dir.isoSize, 2, p.timeOf(parent), p.su(sb[:], d, recDotDot, 1)))
	for _, c := range d.dir.isoKids {
		su := p.su(sb[:], c, recSelf, len(c.isoName))
		t := p.timeOf(c)
		switch {
		case c.kind == TypeDir:
			s.add(record(rb[:], c.isoName, c.dir.isoLBA, c.dir.isoSize, 2, t, su))
		case c.reloc != nil:
			s.add(record(rb[:], c.isoName, c.reloc.dir.isoLBA, 0, 0, t, su))
		case c.kind == TypeFile:
			fileRecords(s, rb[:], c.isoName, c.data, t, su)
		default:
			s.add(record(rb[:], c.isoName, p.dataLBA, 0, 0, t, su))
		}
	}
	return s.finish(d.dir.isoSize)
}

// fileRecords adds the records of a file: one per extent, all but the last
// flagged multi-extent (ECMA-119 9.1.6, bit 7).
func fileRecords(s *sectorWriter, rb []byte, id string, data *node, t time.Time, su []byte) {
	lba, left := data.extent, data.size
	for {
		size, flags := left, byte(0)
		if left > maxExtent {
			size, flags = maxExtent, 0x80
		}
		s.add(record(rb, id, lba, uint32(size), flags, t, su))
		left -= size
		lba += uint32(size / sector)
		if flags == 0 {
			return
		}
	}
}

func (e *emitter) jolietDir(d *node) error {
	p := e.p
	s := &sectorWriter{e: e}
	var rb [256]byte
	parent := d.parent
	if parent == nil {
		parent = d
	}
	s.add(record(rb[:], "\x00", d.dir.jolLBA, d.dir.jolSize, 2, p.timeOf(d), nil))
	s.add(record(rb[:], "\x01", parent.dir.jolLBA, parent.dir.jolSize, 2, p.timeOf(parent), nil))
	for _, c := range d.dir.jolKids {
		t := p.timeOf(c)
		switch c.kind {
		case TypeDir:
			s.add(record(rb[:], c.jolName, c.dir.jolLBA, c.dir.jolSize, 2, t, nil))
		case TypeFile:
			fileRecords(s, rb[:], c.jolName, c.data, t, nil)
		default:
			s.add(record(rb[:], c.jolName, p.dataLBA, 0, 0, t, nil))
		}
	}
	return s.finish(d.dir.jolSize)
}
