// Package attachment is the policy for publishing an incident's attached
// files on the site: attachments are data, never code.
//
// A static host (GitHub Pages, S3, nginx) picks a file's Content-Type from
// its extension, and a browser runs what it is given as HTML or SVG with
// the site's own origin: an attached evil.html or an SVG with onload would
// execute script next to the incident library. So only types a browser
// shows without running anything are published under their own name and
// shown inline: raster images (PNG, JPEG, GIF, WebP, AVIF), PDF and plain
// text (.txt). Everything else — HTML, SVG, JavaScript, XML, JSON,
// archives, unknown types — is published inside a ZIP archive, NAME.zip:
// hosts serve .zip as application/zip, and a host that guesses the type
// from the content (Go's http.FileServer does for extensions it does not
// know) sees the ZIP signature, never HTML, so no browser renders it as a
// page. (A plain NAME.bin would be sniffed as HTML by such a host, and a
// .gz can be served with Content-Encoding: gzip and the inner type.) The
// page links it with a download attribute. sev serve adds
// Content-Disposition: attachment and a sandboxing Content-Security-Policy
// on top.
package attachment

import (
	"archive/zip"
	"bytes"
	"path"
	"strings"
	"time"
)

// inline maps the extensions shown in the browser to their media types.
var inline = map[string]string{
	".png":  "image/png",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".pdf":  "application/pdf",
	".txt":  "text/plain; charset=utf-8",
}

// DownloadSuffix is added to the name of an attachment that is published
// as a download.
const DownloadSuffix = ".zip"

// Inline reports whether an attachment named name is shown in the browser
// (its type is inert); false means it is published as a download.
func Inline(name string) bool {
	_, ok := inline[strings.ToLower(path.Ext(name))]
	return ok
}

// Published is the file name an attachment gets on the site. Two different
// names never publish to the same file: an inline name never ends in .bin.
func Published(name string) string {
	if Inline(name) {
		return name
	}
	return name + DownloadSuffix
}

// ContentType is the media type a server should send for a published file
// name, and whether the browser may show it (false: a download).
func ContentType(published string) (string, bool) {
	if t, ok := inline[strings.ToLower(path.Ext(published))]; ok {
		return t, true
	}
	if strings.HasSuffix(published, DownloadSuffix) {
		return "application/zip", false
	}
	return "application/octet-stream", false
}

// Content is what is published for an attachment: the file itself when it
// is shown inline, else a ZIP archive holding it under its name. The
// archive is the same bytes for the same file (a fixed time stamp), so
// one commit builds the same site.
func Content(name string, data []byte) ([]byte, error) {
	if Inline(name) {
		return data, nil
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: path.Base(name), Method: zip.Deflate,
		Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Kinds describes the inline types for messages.
const Kinds = "PNG, JPEG, GIF, WebP, AVIF, PDF and .txt"
