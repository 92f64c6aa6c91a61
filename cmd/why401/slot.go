package main

import (
	"bytes"
	"io"
	"os"
	"sync"
)

// spillAt is how many bytes of output an input that is not yet at the head
// of the line holds in memory before it spills to a temporary file.
const spillAt = 4 << 20

// slot is one input's output. Inputs are analysed at once on several
// goroutines but printed in input order: the input at the head of the line
// is live and writes straight through to the shared output, so a big
// capture's exchanges appear as they are decided; the ones behind it keep
// what they write (in memory up to spillAt bytes, then in a temporary file)
// until their turn. Memory stays bounded whatever the output's size.
type slot struct {
	mu   sync.Mutex
	dst  io.Writer // the shared output, written only by the live slot
	live bool
	buf  bytes.Buffer
	file *os.File
	err  error
}

func (s *slot) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0, s.err
	}
	if s.live {
		n, err := s.dst.Write(p)
		s.err = err
		return n, err
	}
	if s.file == nil && s.buf.Len()+len(p) <= spillAt {
		return s.buf.Write(p)
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "why401-*.out")
		if err != nil {
			s.err = err
			return 0, err
		}
		os.Remove(f.Name()) // gone once closed, whatever happens
		s.file = f
		if _, err := s.file.Write(s.buf.Bytes()); err != nil {
			s.err = err
			return 0, err
		}
		s.buf = bytes.Buffer{}
	}
	n, err := s.file.Write(p)
	s.err = err
	return n, err
}

// goLive copies what the slot held to the shared output and makes later
// writes go straight there.
func (s *slot) goLive() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.live = true
	if s.err != nil {
		return s.err
	}
	if _, err := s.dst.Write(s.buf.Bytes()); err != nil {
		s.err = err
		return err
	}
	s.buf = bytes.Buffer{}
	if s.file != nil {
		defer func() { s.file.Close(); s.file = nil }()
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			s.err = err
			return err
		}
		if _, err := io.Copy(s.dst, s.file); err != nil {
			s.err = err
			return err
		}
	}
	return nil
}
