package sitesearch

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// Files are gzip-compressed. Shards, facets and the manifest use gzip's
// default level; fragments, a file per incident and most of the bytes,
// use the fastest level: it costs them about 6% in size, and the default
// level's per-stream setup costs more than their compression.
var (
	gzipPool     = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression); return w }}
	gzipFastPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }}
)

// gzipBytes compresses b. The header has no name and no time, so the same
// input always gives the same bytes.
func gzipBytes(b []byte) []byte { return gzipWith(&gzipPool, b) }

// gzipFast compresses b at the fastest level.
func gzipFast(b []byte) []byte { return gzipWith(&gzipFastPool, b) }

// gzipWith compresses b with a writer of pool. The result is copied to a
// slice of its exact size: the index keeps a fragment per incident, and
// a buffer's spare capacity would double what they take.
func gzipWith(pool *sync.Pool, b []byte) []byte {
	out := bufPool.Get().(*bytes.Buffer)
	out.Reset()
	w := pool.Get().(*gzip.Writer)
	w.Reset(out)
	w.Write(b)
	w.Close()
	pool.Put(w)
	gz := bytes.Clone(out.Bytes())
	bufPool.Put(out)
	return gz
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// fragmentJSON is the file the client fetches for a result: what it
// shows, and the text it makes the snippet from and checks phrases
// against. Sections are [label, text, weight]. Only the tests decode it;
// fragment encodes it by hand, without reflection.
type fragmentJSON struct {
	ID       string    `json:"id"`
	URL      string    `json:"url"`
	Title    string    `json:"title"`
	Date     string    `json:"date,omitempty"`
	Sev      int       `json:"sev"`
	SevName  string    `json:"sevName,omitempty"`
	Status   string    `json:"status,omitempty"`
	Tags     []string  `json:"tags,omitempty"`
	Orgs     []string  `json:"orgs,omitempty"`
	Services []string  `json:"services,omitempty"`
	Sections []section `json:"s"`
}

type section Section

func (s *section) UnmarshalJSON(data []byte) error {
	var v []json.RawMessage
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if len(v) != 3 {
		return errors.New("section: want [label, text, weight]")
	}
	if err := json.Unmarshal(v[0], &s.Label); err != nil {
		return err
	}
	if err := json.Unmarshal(v[1], &s.Text); err != nil {
		return err
	}
	return json.Unmarshal(v[2], &s.Weight)
}

func fragment(d *Doc) []byte {
	n := 128 + len(d.Title) + len(d.URL) + len(d.ID)
	for _, s := range d.Sections {
		n += len(s.Label) + len(s.Text) + 16
	}
	b := make([]byte, 0, n)
	b = append(b, `{"id":`...)
	b = appendJSONString(b, d.ID)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, d.URL)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, d.Title)
	if !d.Date.IsZero() {
		b = append(b, `,"date":"`...)
		b = d.Date.AppendFormat(b, time.RFC3339)
		b = append(b, '"')
	}
	b = append(b, `,"sev":`...)
	b = strconv.AppendInt(b, int64(d.Severity), 10)
	b = appendField(b, "sevName", d.SevName)
	b = appendField(b, "status", d.Status)
	b = appendList(b, "tags", d.Tags)
	b = appendList(b, "orgs", d.Orgs)
	b = appendList(b, "services", d.Services)
	b = append(b, `,"s":[`...)
	first := true
	for _, s := range d.Sections {
		if s.Text == "" {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '[')
		b = appendJSONString(b, s.Label)
		b = append(b, ',')
		b = appendJSONString(b, s.Text)
		b = append(b, ',')
		b = strconv.AppendFloat(b, weight(s.Weight), 'g', -1, 64)
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// weight is a section's weight, with what cannot be a weight (negative,
// infinite, not a number) as 0: such a section is shown but not indexed.
func weight(w float64) float64 {
	if w > 0 && w <= math.MaxFloat32 {
		return w
	}
	return 0
}

func appendField(b []byte, name, v string) []byte {
	if v == "" {
		return b
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':')
	return appendJSONString(b, v)
}

func appendList(b []byte, name string, vs []string) []byte {
	if len(vs) == 0 {
		return b
	}
	b = append(append(append(b, ',', '"'), name...), '"', ':', '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, v)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, "\\ufffd"...)
			i++
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Varints are unsigned LEB128, as encoding/binary writes them.

func putUvarint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }
