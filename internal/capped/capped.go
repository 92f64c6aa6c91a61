// Package capped reads at most a given number of bytes of a reader and says
// whether it held more: the bound on what a compressed input inflates to,
// in the analyzer and in the worker.
package capped

import "io"

// Reader reads at most N bytes of R, then ends (io.EOF). Past N it reads
// one byte more to learn whether R held more: if it did, Hit is set and
// OnHit, when set, is called, once. A reader that ends at exactly N bytes
// is not a hit.
type Reader struct {
	R     io.Reader
	N     int64
	Hit   bool
	OnHit func()
}

func (c *Reader) Read(p []byte) (int, error) {
	if c.N <= 0 {
		if !c.Hit {
			var one [1]byte
			if k, _ := io.ReadFull(c.R, one[:]); k > 0 {
				c.Hit = true
				if c.OnHit != nil {
					c.OnHit()
				}
			}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.N {
		p = p[:c.N]
	}
	n, err := c.R.Read(p)
	c.N -= int64(n)
	return n, err
}
