package vcache

import (
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/gitstore"
)

// StagedKey is the key of the findings for an index checksum; it also holds the date, because the rotation checks look at the
// weeks ahead of today.
func StagedKey(indexSum [20]byte, now time.Time) [32]byte {
	h := sha256.New()
	h.Write([]byte("sev-validate-staged-1\n"))
	h.Write(indexSum[:])
	h.Write([]byte(now.UTC().Format("2006-01-02")))
	h.Write([]byte(BinaryKey()))
	var k [32]byte
	copy(k[:], h.Sum(nil))
	return k
}

// LoadStaged returns the findings stored for key, if any.
func LoadStaged(file string, key [32]byte) (diag.List, bool) {
	b, err := os.ReadFile(file)
	if err != nil || len(b) < 32 || [32]byte(b[:32]) != key {
		return nil, false
	}
	var diags diag.List
	if err := json.Unmarshal(b[32:], &diags); err != nil {
		return nil, false
	}
	return diags, true
}

// SaveStaged stores the findings for the index whose key is key.
func SaveStaged(file string, key [32]byte, diags diag.List) error {
	b, err := json.Marshal(diags)
	if err != nil {
		return err
	}
	return gitstore.WriteFile(filepath.Dir(file), filepath.Base(file), append(key[:], b...))
}
