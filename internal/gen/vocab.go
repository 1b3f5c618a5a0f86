package gen

// The phrase tables. Templates use {slot} placeholders that fill expands
// (see text.go). No table may produce a planted phrase (plant.go) or any
// text that contains one; TestTemplatesAvoidPlanted checks every template.

// services is the organisation's service catalogue: the names in
// sev.yaml's services and in incident records.
var services = []string{
	"checkout-api", "cart-api", "orders-api", "payments-api", "auth-api", "search-api", "catalog-api",
	"pricing-api", "accounts-api", "shipping-api", "returns-api", "partner-api", "graphql-gateway",
	"api-gateway", "mobile-bff", "web-frontend", "admin-console", "login-service", "identity-provider",
	"session-service", "notification-service", "email-sender", "sms-gateway", "push-service",
	"recommendation-service", "inventory-service", "fulfilment-service", "billing-service",
	"invoicing-service", "ledger-service", "fraud-detection", "tax-service", "loyalty-service",
	"reviews-service", "media-service", "image-resizer", "feature-flags", "config-service", "scheduler",
	"webhook-dispatcher", "report-generator", "export-service", "analytics-ingest", "event-collector",
	"search-indexer", "cdn-edge", "edge-proxy", "public-lb", "internal-dns", "vpn-gateway", "ci-runners",
	"artifact-registry", "k8s-control-plane", "object-storage", "secrets-vault", "log-pipeline",
	"metrics-pipeline", "alertmanager",
}

// databases, caches and brokers are services too.
var databases = []string{"orders-db", "payments-db", "accounts-db", "catalog-db", "inventory-db", "sessions-db", "ledger-db", "analytics-warehouse"}

var caches = []string{"session-cache", "catalog-cache", "rate-limit-cache", "pricing-cache"}

var brokers = []string{"kafka-main", "kafka-events", "rabbitmq-jobs"}

var orgs = [][2]string{
	{"engineering", "Product engineering teams"},
	{"sre", "Site reliability engineering and the primary on-call"},
	{"platform", "Infrastructure, Kubernetes, networking and CI"},
	{"payments", "Payments and billing engineering"},
	{"security", "Security engineering and incident response"},
	{"data", "Data engineering and analytics"},
	{"mobile", "iOS and Android apps"},
	{"support", "Customer support"},
	{"legal", "Legal and compliance"},
	{"pr", "Communications and public relations"},
}

// orgSizes is how many people each org in orgs has.
var orgSizes = []int{110, 28, 22, 16, 12, 14, 14, 18, 4, 4}

var tags = []string{
	"security", "pii", "payments", "customer-facing", "third-party", "deploy", "regression",
	"config-change", "capacity", "latency", "availability", "database", "network", "dns", "certificate",
	"data-pipeline", "data-quality", "mobile", "ddos", "game-day", "maintenance", "compliance", "cost",
	"monitoring-gap", "cloud-provider",
}

var regions = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1", "sa-east-1"}

var features = []string{
	"checkout", "login", "sign-up", "search", "order history", "password reset", "card payments",
	"PayPal payments", "invoice downloads", "push notifications", "email receipts", "product images",
	"shipping labels", "refunds", "the admin console", "data exports", "partner webhooks", "gift cards",
	"the mobile app", "two-factor login",
}

var vendors = []string{"Stripe", "Adyen", "Twilio", "SendGrid", "Cloudflare", "Fastly", "Auth0", "Okta", "PagerDuty", "Datadog", "GitHub", "Zendesk"}

var clouds = []string{"AWS", "GCP", "Azure"}

var errorCodes = []string{
	"HTTP 502", "HTTP 503", "HTTP 504", "HTTP 429", "ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "OOMKilled",
	"CrashLoopBackOff", "ImagePullBackOff", "DEADLINE_EXCEEDED", "UNAVAILABLE", "RESOURCE_EXHAUSTED",
	"SQLSTATE 53300", "SQLSTATE 40P01", "NXDOMAIN", "SERVFAIL", "SSL_ERROR_SYSCALL",
	"x509: certificate has expired", "too many open files", "no space left on device",
	"context deadline exceeded", "upstream connect error", "java.lang.OutOfMemoryError",
	"panic: runtime error: invalid memory address", "connection pool exhausted",
}

var flags = []string{
	"new-checkout-flow", "async-inventory", "search-v2-ranking", "pricing-cache-bypass", "mobile-dark-launch",
	"sso-enforcement", "batch-invoices", "edge-compression", "grpc-transport", "recs-model-7", "cart-merge-v3",
}

var topics = []string{"orders.created", "payments.captured", "inventory.reserved", "emails.outbound", "events.clickstream", "ledger.entries"}

var jobs = []string{"billing-reconciliation", "daily-export", "search-reindex", "ledger-close", "analytics-rollup", "backup-verify", "gdpr-erasure"}

var libraries = []string{"log4j", "openssl", "jackson-databind", "libxml2", "imagemagick", "nginx", "glibc", "curl"}

var metrics = []string{"error rate", "p99 latency", "queue depth", "consumer lag", "CPU saturation", "connection count", "disk usage", "heap usage", "5xx ratio", "checkout conversion"}

var firstNames = []string{
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
	"olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf", "zoe", "amara", "bruno",
	"chen", "dmitri", "elena", "farah", "giulia", "hiro", "ines", "jonas", "kemal", "lena", "mateo", "noor",
	"oskar", "priya", "quentin", "rosa", "sanjay", "tariq", "uma", "vera", "wen", "ximena", "yara", "zeynep",
	"aiko", "bjorn", "camille", "diego", "emeka", "fatima", "gustav", "hana", "ibrahim", "jana", "kofi",
}

var lastNames = []string{
	"martin", "nguyen", "garcia", "smith", "kowalski", "muller", "rossi", "tanaka", "okafor", "silva", "larsen",
	"dubois", "novak", "ahmed", "kim", "patel", "haddad", "jensen", "costa", "fischer", "moreau", "schmidt",
	"ivanova", "mensah", "lopez", "yilmaz", "sato", "oconnor", "van-dijk", "bianchi", "petrov", "andersen",
	"chowdhury", "mwangi", "fernandez", "weber", "lindqvist", "kaur", "santos", "nakamura",
}

var timezones = []string{"Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Singapore", "Asia/Kolkata", "Australia/Sydney", "UTC"}

// scenario is one kind of incident: how it is titled, what responders write
// while investigating, how it is mitigated and what caused it.
type scenario struct {
	name        string
	weight      int
	kind        string // "" for normal
	restricted  int    // percent of incidents that are restricted
	tags        []string
	orgs        []string
	titles      []string
	investigate []string
	fixes       []string
	causes      []string
}

var scenarios = []scenario{
	{name: "deploy", weight: 18, tags: []string{"deploy", "regression"}, orgs: []string{"engineering"},
		titles: []string{"Elevated 5xx errors on {svc} after deploy {deploy}", "{svc} returning 500s after release {version}",
			"Checkout failures after {svc} rollout", "Broken {feature} after deploy {deploy}", "{svc} crash loop after release {version}",
			"Spike in {err} from {svc} after deploy"},
		investigate: []string{"Deploy {deploy} of {svc} went out at the same time the errors started", "Diff of deploy {deploy} touches the {feature} code path",
			"Canary for {svc} in {region} showed {err} but the rollout was not halted", "Errors only on pods running {version}",
			"Comparing {version} with the previous build; the serializer changed", "Pausing further deploys of {svc}"},
		fixes: []string{"Rolled back deploy {deploy}", "Reverted {svc} to the previous release", "Rolled back {svc} to the last good build in all regions",
			"Pinned {svc} to the previous image and paused the pipeline"},
		causes: []string{"Deploy {deploy} changed how {svc} serialises requests for {feature}, and older clients could not parse the new format.",
			"Release {version} of {svc} removed a database index that the {feature} query still relied on.",
			"A refactoring in {svc} dropped a nil check, so requests without a session crashed the handler with {err}.",
			"The canary analysis for {svc} compared the wrong metric, so the bad build of deploy {deploy} was promoted to every region."}},
	{name: "database", weight: 10, tags: []string{"database"}, orgs: []string{"engineering", "platform"},
		titles: []string{"{db} replication lag", "Failover of {db}", "Connection pool exhaustion on {db}", "Slow queries on {db} degrade {svc}",
			"{db} primary unresponsive", "Deadlocks on {db} during peak"},
		investigate: []string{"Replication lag on {db} at {n} minutes and growing", "{svc} connection pool saturated: {n}00 of {n}00 connections in use",
			"Long-running query on {db} holding locks for {n} minutes", "Seeing {err} from {svc} when writing to {db}",
			"{db} primary at 100% CPU; read replicas healthy", "Autovacuum on {db} fell behind on the orders table"},
		fixes: []string{"Failed over {db} to replica", "Killed the long-running query on {db}", "Raised max connections on {db} and restarted {svc}",
			"Moved read traffic of {svc} to the replicas of {db}"},
		causes: []string{"A migration added a column with a default to a large table on {db}, rewriting it under an exclusive lock.",
			"A batch job opened a new connection to {db} per row and exhausted the pool that {svc} shares with it.",
			"The storage volume of the {db} primary hit its IOPS limit, so replication fell behind and writes timed out.",
			"A query plan changed after statistics were refreshed on {db}, turning an index lookup into a full scan."}},
	{name: "capacity", weight: 9, tags: []string{"capacity", "latency"}, orgs: []string{"sre", "engineering"},
		titles: []string{"Traffic spike overloads {svc}", "{svc} latency above SLO in {region}", "Autoscaling of {svc} stuck",
			"Marketing campaign traffic overwhelms {feature}", "{svc} CPU saturation in {region}"},
		investigate: []string{"Request rate on {svc} at {n}x normal", "p99 latency of {svc} at {ms} ms", "Autoscaler for {svc} is at its maximum of {n} replicas",
			"HPA events show {svc} could not schedule pods: no capacity in {region}", "Traffic is real: a campaign email went to all customers"},
		fixes: []string{"Scaled {svc} from {n} to {n2} replicas", "Raised the autoscaling limit of {svc}", "Enabled rate limiting for {feature} at the edge",
			"Added a node pool in {region} and rescheduled {svc}"},
		causes: []string{"The autoscaling limit of {svc} was set years ago and never revisited as traffic grew.",
			"A campaign sent to all customers at once was not announced to engineering, so no capacity was added ahead of it.",
			"A retry storm from {svc2} multiplied the load on {svc} by {n}."}},
	{name: "third-party", weight: 7, tags: []string{"third-party"}, orgs: []string{"engineering"},
		titles: []string{"{vendor} outage degrades {feature}", "Payments provider {vendor} timing out", "{vendor} API errors break {feature}",
			"Delayed {feature} because of {vendor} incident"},
		investigate: []string{"{vendor} status page reports degraded performance", "Requests to {vendor} failing with {err}", "Opened a support case with {vendor} (case {ticket})",
			"{vendor} confirms the problem is on their side", "Only customers routed through {vendor} are affected"},
		fixes: []string{"Switched {feature} to the fallback provider", "Queued {feature} requests for retry until {vendor} recovers",
			"Disabled the {vendor} integration behind feature flag {flag}"},
		causes: []string{"{vendor} had an outage in their {region} region; our integration had no fallback and retried without backoff.",
			"{vendor} rotated their API certificates and our client pinned the old intermediate."}},
	{name: "config", weight: 8, tags: []string{"config-change"}, orgs: []string{"engineering", "platform"},
		titles: []string{"Feature flag {flag} broke {feature}", "Bad config push to {svc}", "{svc} misrouted traffic after config change",
			"Rate limits too strict after config change on {svc}"},
		investigate: []string{"Config change to {svc} landed {n} minutes before the errors", "Flag {flag} was turned on for 100% of traffic",
			"The new config for {svc} has an empty upstream list in {region}", "Customers get {err} from {svc}"},
		fixes: []string{"Disabled feature flag {flag}", "Reverted the config of {svc}", "Restored the previous routing table of {svc}"},
		causes: []string{"Feature flag {flag} was rolled out to all customers at once instead of in stages.",
			"A config change to {svc} was validated against staging, whose schema differs from production."}},
	{name: "network", weight: 5, tags: []string{"network"}, orgs: []string{"platform", "sre"},
		titles: []string{"Packet loss between {region} and {region2}", "Load balancer health checks flapping for {svc}", "VPN gateway drops connections",
			"Intermittent timeouts between {svc} and {svc2}"},
		investigate: []string{"{pct}% packet loss on the link between {region} and {region2}", "Health checks for {svc} flapping on {host}",
			"TCP retransmits up on hosts in {region}", "Traceroute from {ip} shows loss at the transit provider"},
		fixes: []string{"Drained the bad availability zone in {region}", "Moved traffic for {svc} to {region2}", "Replaced the faulty load balancer target group"},
		causes: []string{"A transit provider had a fibre cut; our failover to the second provider needed a manual change.",
			"MTU mismatch after a network change fragmented large responses from {svc}."}},
	{name: "dns", weight: 3, tags: []string{"dns", "network"}, orgs: []string{"platform"},
		titles:      []string{"DNS resolution failures for {svc}", "Internal DNS timeouts in {region}", "Expired domain delegation breaks {feature}"},
		investigate: []string{"Lookups for {svc} return {err}", "CoreDNS pods in {region} restarting", "Resolver latency at {ms} ms"},
		fixes:       []string{"Restarted CoreDNS and raised its replica count", "Restored the deleted DNS record for {svc}", "Lowered TTLs and re-published the zone"},
		causes: []string{"A cleanup script deleted DNS records it considered unused, including one for {svc}.",
			"The internal resolver hit its query limit because {svc} does not cache lookups."}},
	{name: "certificate", weight: 3, tags: []string{"certificate"}, orgs: []string{"platform"},
		titles:      []string{"TLS certificate expired on {svc}", "Certificate renewal failed for {svc}", "Clients reject certificate chain of {svc}"},
		investigate: []string{"Clients fail with {err} when calling {svc}", "The certificate of {svc} expired at midnight UTC", "Renewal job has been failing silently for {n} days"},
		fixes:       []string{"Renewed and deployed the certificate for {svc}", "Issued a new certificate by hand and restarted {svc}"},
		causes:      []string{"The certificate renewal job for {svc} failed for weeks and its alert went to an unmonitored channel."}},
	{name: "disk", weight: 3, tags: []string{"capacity"}, orgs: []string{"sre"},
		titles:      []string{"Disk full on {host}", "{svc} logs fill volumes", "Object storage quota reached for {svc}"},
		investigate: []string{"{host} at {pct}% disk usage", "{svc} writes fail with {err}", "Debug logging was left on in {svc}"},
		fixes:       []string{"Freed disk on {host} and rotated logs", "Turned off debug logging in {svc}", "Grew the volume of {host}"},
		causes:      []string{"Debug logging was enabled on {svc} during an investigation and never turned off, filling the disk in {n} days."}},
	{name: "memory", weight: 5, tags: []string{"regression"}, orgs: []string{"engineering"},
		titles:      []string{"{svc} pods OOMKilled in a loop", "Memory leak in {svc} {version}", "{svc} garbage collection pauses"},
		investigate: []string{"{svc} pods restarting with {err}", "Heap of {svc} grows by {n}0 MB per hour", "GC pauses of {ms} ms on {svc}"},
		fixes:       []string{"Restarted {n} pods of {svc}", "Raised the memory limit of {svc}", "Rolled back {svc} to the release before the leak"},
		causes:      []string{"A cache in {svc} was keyed by request id and never evicted, so memory grew with traffic."}},
	{name: "queue", weight: 5, tags: []string{"data-pipeline"}, orgs: []string{"data", "engineering"},
		titles:      []string{"Consumer lag on {topic}", "{svc} queue backlog delays {feature}", "Stuck consumers on {broker}"},
		investigate: []string{"Consumer lag on {topic} at {n}00k messages", "{broker} partition leader elections every few minutes", "Consumers of {svc} stuck on a poison message"},
		fixes:       []string{"Skipped the poison message and restarted consumers of {svc}", "Added {n} consumers for {topic}", "Rebalanced partitions on {broker}"},
		causes:      []string{"A malformed message on {topic} crashed every consumer that read it, and there was no dead-letter queue."}},
	{name: "cache", weight: 4, tags: []string{"latency"}, orgs: []string{"engineering"},
		titles:      []string{"Cache stampede on {cache} after flush", "Evictions on {cache} degrade {svc}", "{cache} failover causes cold cache"},
		investigate: []string{"Hit rate of {cache} dropped to {pct}%", "{svc} falls through to {db} on every request", "Eviction rate on {cache} at {n}k per second"},
		fixes:       []string{"Warmed {cache} from the snapshot", "Added request coalescing in {svc}", "Doubled the memory of {cache}"},
		causes:      []string{"A flush of {cache} during peak traffic sent every request to {db}, which could not keep up."}},
	{name: "data", weight: 4, tags: []string{"data-quality"}, orgs: []string{"data"},
		titles:      []string{"Nightly {job} job failed; reports delayed", "Duplicate records created by {svc}", "Wrong totals in {feature}"},
		investigate: []string{"Job {job} failed at step {n} of {n2}", "{n}k duplicate rows in {db}", "Totals differ by {pct}% from the ledger"},
		fixes:       []string{"Re-ran {job} with the fixed input", "Deduplicated rows in {db}", "Restored the table from the snapshot"},
		causes:      []string{"{job} was not idempotent, and a retry after a timeout wrote every row twice."}},
	{name: "security", weight: 3, restricted: 85, tags: []string{"security"}, orgs: []string{"security", "legal"},
		titles: []string{"Leaked credential for {svc}", "Suspicious admin logins", "Unauthorised access attempt on {svc}", "Vulnerability in {lib} exposed on {svc}",
			"Customer data visible to wrong account"},
		investigate: []string{"Access logs show requests from {ip} using a revoked token", "Credential for {svc} found in a public repository",
			"Scanning for other services that use {lib}", "Legal informed; assessing notification duties"},
		fixes:  []string{"Rotated credentials for {svc}", "Blocked {ip} at the edge and revoked sessions", "Patched {lib} on every host running {svc}"},
		causes: []string{"A credential for {svc} was committed to a public repository by mistake and was used within hours."}},
	{name: "ddos", weight: 2, tags: []string{"security", "ddos"}, orgs: []string{"platform", "security"},
		titles:      []string{"DDoS against {svc}", "Bot traffic overwhelms {feature}", "Credential stuffing against login"},
		investigate: []string{"Request rate on {svc} at {n}0x normal from many ASNs", "{pct}% of login attempts fail", "Traffic comes from {n}k addresses"},
		fixes:       []string{"Enabled the DDoS protection profile at the edge", "Added a challenge for {feature}", "Rate-limited login per account"},
		causes:      []string{"The edge rules for {svc} had no rate limit, so a botnet could reach the origin directly."}},
	{name: "cloud", weight: 2, tags: []string{"cloud-provider", "third-party"}, orgs: []string{"platform", "sre"},
		titles:      []string{"{cloud} degradation in {region}", "{cloud} control plane errors block deploys", "Instance launches fail in {region}"},
		investigate: []string{"{cloud} status page lists elevated error rates in {region}", "Instance launches fail with {err}", "Only one availability zone is affected"},
		fixes:       []string{"Shifted traffic out of {region}", "Paused autoscaling until {cloud} recovered"},
		causes:      []string{"{cloud} had a regional outage in {region}; our failover runbook had not been exercised in a year."}},
	{name: "support", weight: 8, tags: []string{"customer-facing"}, orgs: []string{"support", "engineering"},
		titles: []string{"Customers report {feature} not loading", "Emails not delivered to some customers", "Mobile app crashes on launch",
			"Customers charged twice", "Customers cannot log in with two-factor codes"},
		investigate: []string{"Support has {n}0 tickets about {feature}", "Reproduced with a test account in {region}", "Crash reports spike for app version {version}",
			"Only customers on the old plan are affected"},
		fixes:  []string{"Fixed the {feature} page and purged the CDN cache", "Re-sent the failed emails", "Refunded the duplicate charges"},
		causes: []string{"A change to {svc} was tested only with new accounts, and older accounts hit a code path that failed."}},
	{name: "drill", weight: 3, kind: "drill", tags: []string{"game-day"}, orgs: []string{"sre"},
		titles:      []string{"Drill: failover of {db}", "Game day: loss of {region}", "Drill: restore {db} from backup", "Drill: on-call handover"},
		investigate: []string{"Drill started; injecting failure into {svc}", "Runbook step {n} was unclear", "Observers noting gaps"},
		fixes:       []string{"Drill objective reached: {db} failed over", "Restored {db} from backup in {n}0 minutes"},
		causes:      []string{"This was a planned drill; the failure was injected on purpose."}},
	{name: "maintenance", weight: 2, kind: "maintenance", tags: []string{"maintenance"}, orgs: []string{"platform"},
		titles:      []string{"Planned maintenance: {db} major version upgrade", "Maintenance: rotate certificates of {svc}", "Maintenance: migrate {svc} to new cluster"},
		investigate: []string{"Maintenance window started", "Step {n} of {n2} done", "Read-only mode enabled for {feature}"},
		fixes:       []string{"Maintenance complete; traffic restored", "Upgrade of {db} complete"},
		causes:      []string{"Planned maintenance; nothing failed unexpectedly."}},
}

// Notes that fit any incident, by phase.
var (
	investigateNotes = []string{
		"Looking at the {svc} dashboards", "Error rate on {svc} at {pct}%", "Seeing {err} in the logs of {svc}",
		"p99 latency of {svc} at {ms} ms, normally {ms2} ms", "Paging the {team} on-call", "Joined the incident call",
		"Customer support reports {n} tickets about {feature}", "Checked recent changes: nothing obvious in the last hour",
		"Only {region} is affected so far", "{region2} looks healthy", "Restarted {n} pods of {svc} in {region}; no change",
		"Logs on {host} show {err}", "Traffic from {ip} looks normal", "Escalated to the {svc2} owners",
		"Status page updated: investigating", "Correlates with the {metric} alert on {svc}", "Suspect {svc2}; checking its dashboards",
		"{svc2} is healthy, ruling it out", "Asked {vendor} whether they see anything on their side", "Grafana link shared in the channel",
		"Opened {ticket} to track the investigation", "Collecting a heap dump from {host}", "Profiling {svc} on {host}",
		"Error budget of {svc} for the month is gone", "Cluster prod-{region}-{n} is where the errors come from",
		"Checked the {cloud} status page: all green", "Recent deploys: {svc2} at {time}, {svc} at {time2}",
		"{pct}% of checkouts failing", "Roughly {n}k requests failed so far", "Handing the investigation of {svc2} to the owning team",
		"Sampling failed requests: all go through {host}", "Added logging to {svc} behind flag {flag}",
	}
	mitigatingNotes = []string{
		"Errors dropping", "{metric} back to baseline on {svc}", "Watching {svc} for another {n}0 minutes",
		"Status page updated: monitoring", "Customers confirm {feature} works again", "Queue drained",
		"Backlog of {n}k jobs processed", "No new errors since {time}", "Keeping the incident open until the fix is deployed",
		"Re-enabled traffic in {region}", "Handing over to the next shift", "Verified no data loss",
		"Follow-up fix in review for {svc}", "Replaying failed requests from the dead-letter queue",
	}
	followupNotes = []string{
		"Postmortem scheduled for {date}", "Follow-up tickets filed", "Sent the customer communication",
		"Added an alert on {metric} for {svc}", "Runbook for {svc} updated", "Shared the summary in the engineering channel",
		"Finance confirmed the refunds", "Reviewed with the {team} team",
	}
	ackNotes = []string{"Acknowledged the page", "On it", "Acknowledged; joining the call", "Ack, looking now", "Page acknowledged from mobile"}

	declineNotes = []string{"False alarm: the monitor was misconfigured", "Not an incident: expected behaviour during the migration",
		"Duplicate of another incident", "Test alert from the monitoring change"}

	severityNotes = []string{"More customers affected than we thought", "Impact limited to internal users", "EU and US affected now",
		"Only a small subset of customers affected", "Revenue impact confirmed"}

	backdateNotes = []string{"Backfilled from the chat log: first customer report", "Backfilled: the alert fired but nobody was paged",
		"Adding from memory: {svc} dashboards showed the spike here"}

	impactTexts = []string{
		"About {n}k customers in {region} could not use {feature} for {dur}.",
		"{pct}% of requests to {svc} failed for {dur}.",
		"{feature} was slow for everyone and unavailable for {pct}% of customers for {dur}.",
		"Internal users only; no customer impact.",
		"{n}00 orders were delayed; none were lost.",
		"{n}0 customers were charged twice; all were refunded.",
	}
	summaryTexts = []string{
		"{svc} failed requests for {feature} in {region}.",
		"{feature} was degraded because {svc} returned {err}.",
		"Customers could not complete {feature}; {svc} was the cause.",
		"{svc} degraded in {region} after a change; mitigated by the on-call.",
	}
)

// Postmortem sentences by section.
var (
	pmOpening = []string{
		"On {day}, {svc} failed requests for {feature} for {dur}.",
		"On {day}, customers in {region} could not use {feature} for {dur}.",
		"For {dur} on {day}, {feature} was degraded because {svc} returned {err}.",
	}
	pmSummary = []string{
		"The incident was declared as {sev} by {person} and led by {commander}.",
		"Responders first suspected {svc2}, which turned out to be healthy.",
		"The problem was mitigated at {mitigated} and the incident was resolved at {resolved}.",
		"This postmortem is blameless: it describes what the system and the process allowed, not who made a mistake.",
		"The trigger was a change to {svc}, but the impact was made worse by how {svc2} retried.",
	}
	pmImpact = []string{
		"About {n}k customers in {region} saw errors when using {feature}.",
		"{pct}% of requests to {svc} failed during the worst {n} minutes.",
		"Support received {n}0 tickets, most of them from customers in {region}.",
		"We estimate lost revenue at {n}k USD, based on checkout conversion compared with the same hour last week.",
		"No data was lost, and no customer data was exposed.",
		"Internal teams could not use {feature} and worked around it with manual steps.",
		"The error budget of {svc} for the quarter was used up.",
		"Partners that rely on partner webhooks received events up to {n} hours late.",
	}
	pmCause = []string{
		"The contributing factors were an alert on {metric} with a threshold too high to fire, and a runbook that still described the old architecture.",
		"{svc} retried failed calls to {svc2} immediately and without a limit, which turned a partial failure into a full one.",
		"Nobody owned the dashboard for {svc}, so the panel that would have shown the problem had been broken for months.",
		"The change passed review and tests because the test data did not include accounts older than {n} years.",
		"Load on {db} had grown by {pct}% since the last capacity review, leaving little headroom.",
		"Timeouts between {svc} and {svc2} were longer than the timeout of the client, so work continued after the client had given up.",
		"The staging environment runs a single replica of {svc}, so the failure mode never shows there.",
		"Alerting paged the {team} on-call, but the fix needed someone from the team that owns {svc2}.",
	}
	// The discussion of causes is composed from four parts, so long
	// postmortems read without repeating themselves.
	pmOpeners = []string{"In hindsight,", "During the review we found that", "Looking at the metrics afterwards,", "The team noticed that",
		"It is worth noting that", "As far as we can tell,", "Our investigation showed that", "A second look at the logs showed that",
		"We also learned that", "Several responders pointed out that", "The timeline shows that", "Nobody on the call knew that"}
	pmSubjects = []string{"the retry policy of {svc}", "the alert on {metric}", "the runbook for {svc}", "the capacity plan for {db}",
		"the deploy pipeline of {svc}", "the dashboard for {svc2}", "the on-call handover", "the load test for {feature}",
		"the dependency between {svc} and {svc2}", "the timeout budget of {svc}", "the health check of {svc}", "the failover procedure for {db}",
		"the rate limit in front of {svc}", "the config validation of {svc}", "the staging copy of {svc2}", "the escalation policy of the {team} team"}
	pmPredicates = []string{"had not been reviewed in {n} months", "assumed that {svc2} would always answer within {ms} ms",
		"did not cover {region}", "was owned by a team that had since been reorganised", "hid the problem behind an average",
		"was tested only in staging", "depended on a single replica of {db}", "had drifted from what was deployed",
		"relied on a manual step that was skipped", "was documented only in a chat thread", "treated {err} as a success",
		"had been disabled during an earlier incident and never turned back on", "was tuned for the traffic of {n} years ago",
		"ignored the {region2} region entirely"}
	pmConsequences = []string{", so the first signal came from customers.", ", which delayed mitigation by {n}0 minutes.",
		", and nobody noticed until this incident.", ", which made the impact wider than it needed to be.", ".",
		", so responders had to rediscover it under pressure.", ", which is why {feature} failed instead of degrading.",
		", and that cost us most of the first hour.", ", so the rollback did not help at first.", ", which we will fix as a follow-up."}

	pmWell = []string{
		"The on-call acknowledged the page within {n} minutes.", "The rollback procedure for {svc} worked as documented.",
		"Customer support spotted the problem early and escalated it with good detail.",
		"The incident channel stayed focused: a scribe kept the timeline and the commander made clear calls.",
		"Status page updates went out every {n}0 minutes.", "Feature flag {flag} let us turn off the broken path without a deploy.",
		"Dashboards for {svc} made the failing dependency obvious.",
	}
	pmBad = []string{
		"It took {n}0 minutes to find the right dashboard.", "The runbook for {svc} was out of date.",
		"Two people made changes to {svc} at the same time without telling each other.",
		"The alert fired in a channel that nobody watches at night.", "We had no way to see which customers were affected.",
		"Rolling back took {n}0 minutes because the pipeline rebuilt the old image from scratch.",
		"The first status page update went out {n}0 minutes after customers started asking.",
		"Access to production logs of {svc} needed an approval that took {n}0 minutes.",
	}
	pmLucky = []string{
		"The incident started during business hours in {region}, when most of the team was online.",
		"Traffic was low because of a public holiday.", "The engineer who wrote the change happened to be on the call.",
		"A customer reported the problem on social media before our alerting noticed, and support saw it.",
	}
	pmFollowups = []string{
		"Add an alert on {metric} for {svc}", "Update the runbook for {svc}", "Add a dead-letter queue for {topic}",
		"Limit retries from {svc} to {svc2}", "Run a failover drill for {db}", "Add {feature} to the synthetic checks",
		"Review autoscaling limits of {svc}", "Move the alert to the paging channel", "Add canary analysis on {metric}",
		"Document the rollback of {svc}", "Test with accounts older than {n} years", "Remove debug logging from {svc}",
		"Expire certificates in staging a week before production", "Add request coalescing in {svc}",
	}
)
