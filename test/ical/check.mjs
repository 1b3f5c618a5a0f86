// check.mjs parses an iCalendar file with Mozilla's ical.js, an
// implementation independent of sev's, and prints its events as JSON:
//
//   node test/ical/check.mjs FILE.ics
//   [{"uid": ..., "summary": ..., "description": ..., "start": ISO UTC, "end": ISO UTC}, ...]
//
// It exits 1 with the error when the file does not parse, or when it lacks
// what sev's exports promise: a VCALENDAR with VERSION and PRODID, events
// with UID, DTSTAMP, DTSTART and DTEND, all times in UTC. internal/rotation's
// tests compare its output with the schedule the file was made from.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

function requireProps(comp, names) {
  for (const name of names) {
    if (!comp.hasProperty(name)) {
      throw new Error(`${comp.name} has no ${name.toUpperCase()}`);
    }
  }
}

function utc(event, time, name) {
  if (!time.isDate && time.zone === ICAL.Timezone.utcTimezone) {
    return time.toJSDate().toISOString();
  }
  throw new Error(`event ${event.uid}: ${name} ${time.toString()} is not a UTC date-time`);
}

function events(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  if (cal.name !== 'vcalendar') {
    throw new Error(`the top component is ${cal.name}, not vcalendar`);
  }
  requireProps(cal, ['version', 'prodid']);
  return cal.getAllSubcomponents('vevent').map((v) => {
    requireProps(v, ['uid', 'dtstamp', 'dtstart', 'dtend']);
    const e = new ICAL.Event(v);
    utc(e, v.getFirstPropertyValue('dtstamp'), 'DTSTAMP');
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      start: utc(e, e.startDate, 'DTSTART'),
      end: utc(e, e.endDate, 'DTEND'),
    };
  });
}

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error('usage: node test/ical/check.mjs FILE.ics');
  process.exit(2);
}
try {
  console.log(JSON.stringify(events(readFileSync(file, 'utf8'))));
} catch (err) {
  console.error(`${file}: ${err.message}`);
  process.exit(1);
}
