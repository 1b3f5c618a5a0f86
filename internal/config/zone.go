package config

import (
	"sync"
	"time"
)

// zones caches time.LoadLocation: every command reads sev.yaml, whose
// people name their time zones, and loading one reads and parses the zone
// database each time.
var zones sync.Map // name → zone

type zone struct {
	loc *time.Location
	err error
}

// LoadLocation is time.LoadLocation, remembered for the process.
func LoadLocation(name string) (*time.Location, error) {
	if z, ok := zones.Load(name); ok {
		return z.(zone).loc, z.(zone).err
	}
	loc, err := time.LoadLocation(name)
	zones.Store(name, zone{loc, err})
	return loc, err
}
