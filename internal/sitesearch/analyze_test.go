package sitesearch

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sev-dev/sev/internal/searchtext"
)

// oddTexts are the analyzer's hard cases: identifiers and their edges,
// possessives, apostrophes, numbers, addresses, URLs, Unicode.
var oddTexts = []string{
	"Rolled back dev-cluster-105 after ERR_CONN_RESET from 10.20.3.14 on api.eu-west-1.",
	"dev-cluster-105. api.eu-west-1, (ERR_CONN_RESET) 10.20.3.14:443 https://grafana.example.com/d/checkout?x=1#y",
	"a..b a.-b -a a- _x_ x__y x._y .5 5. v1.2.3 v2 ipv6 4411 OPS-12345 2026-03-02T14:05:00Z 14:31 UTC",
	"The customer's customers' customer’s it's IT'S don't o'clock 'quoted' ‘curly’ rock'n'roll l'été",
	"Überweisungen fehlerhaft. İstanbul IŞIK ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ Ǆemal ǅemal ﬁle Straße Ωmega K",
	"日本語のテキスト 中文 한국어 العربية עברית हिन्दी ไทย café naïve e\u0301te \u0301x",
	"emoji 🔥 fire🔥fire 𝒜𝒷𝒸 𝒜s 𝐀𝐁𝐂-𝐃 ①② ٣٤ ³ ½",
	strings.Repeat("ab-", 60) + "c " + strings.Repeat("x", 120) + " " + strings.Repeat("é", 51) + " " + strings.Repeat("y", 99) + "'s",
	"the a an and are as at be by for from has have in is it its of on or that this to was were with THE With",
	"the-thing of-the-year by_the_way at.the.end in-a-bit is_it-on",
	"skies skis dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes",
	"inning outing canning herring earring proceed exceed succeed innings outings",
	"generously generic communism communal arsenic arsenal general",
	"y yy yes ayy you're yelling sayings 'yo' ’yo ''s x's 's",
	"<img src=x onerror=alert(1)> <script>alert('x')</script> &amp; \"quoted\" `code` **bold** _em_ [link](http://x)",
	"tab\tseparated\nlines\r\nand\u00a0nbsp\u2028line\u2029para\u3000ideographic",
}

// genVocabulary is every string literal of internal/gen's phrase tables
// and templates: the text the generated repositories are made of.
func genVocabulary(t *testing.T) []string {
	var out []string
	for _, name := range []string{"vocab.go", "text.go", "plant.go", "postmortem.go", "respond.go"} {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "gen", name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && s != "" {
					out = append(out, s)
				}
			}
			return true
		})
	}
	if len(out) < 500 {
		t.Fatalf("only %d strings in internal/gen's tables", len(out))
	}
	return out
}

// syntheticWords exercises every rule of the stemmer: random stems with
// each of the suffixes it knows.
func syntheticWords() []string {
	r := rand.New(rand.NewPCG(1, 2))
	suffixes := strings.Fields("s ss us sses ied ies ed eed edly eedly ing ingly y Y ly ally li bli abli alli fulli lessli ousli entli " +
		"aliti biliti iviti tional ational alism ation ization izer ator iveness fulness ousness enci anci ogi logi " +
		"icate ative alize iciti ical ful ness al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion sion tion " +
		"e le ll at bl iz bb dd ff gg mm nn pp rr tt 's 's' '")
	letters := "aeiouybcdfghjklmnpqrstvwxzaeiouyrstln"
	var out []string
	for i := 0; i < 30000; i++ {
		var b strings.Builder
		if r.IntN(10) == 0 {
			b.WriteByte('\'')
		}
		for n := r.IntN(7); n >= 0; n-- {
			b.WriteByte(letters[r.IntN(len(letters))])
		}
		b.WriteString(suffixes[r.IntN(len(suffixes))])
		out = append(out, b.String())
	}
	return out
}

func agreementTexts(t *testing.T) []string {
	texts := slices.Clone(oddTexts)
	texts = append(texts, genVocabulary(t)...)
	for _, d := range loadCorpus(t, 300).docs {
		texts = append(texts, d.Title)
		for _, s := range d.Sections {
			texts = append(texts, s.Text)
		}
	}
	words := map[string]bool{}
	for _, text := range texts {
		for _, w := range strings.Fields(text) {
			words[w] = true
		}
	}
	texts = append(texts, slices.Sorted(mapsKeys(words))...)
	return append(texts, syntheticWords()...)
}

func mapsKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestAnalyzerAgrees runs analyze.js under node over tens of thousands of
// texts and words and compares every token with internal/search's.
func TestAnalyzerAgrees(t *testing.T) {
	node := needNode(t)
	dir := t.TempDir()
	texts := agreementTexts(t)
	in, _ := json.Marshal(texts)
	writeFile(t, filepath.Join(dir, "in.json"), in)
	runNode(t, node, "testdata/analyze.mjs", assetPath(t, "analyze.js"), filepath.Join(dir, "in.json"), filepath.Join(dir, "out.json"))
	var got [][][4]any
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "out.json")), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(texts) {
		t.Fatalf("node analysed %d texts, want %d", len(got), len(texts))
	}
	bad, tokens := 0, 0
	for i, text := range texts {
		want := goTokens(text)
		tokens += len(want)
		if g := fmt.Sprint(got[i]); g != fmt.Sprint(want) {
			bad++
			if bad <= 10 {
				t.Errorf("%q:\n js %v\n go %v", text, g, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d texts differ", bad, len(texts))
	}
	t.Logf("%d texts, %d tokens agree", len(texts), tokens)
}

func goTokens(text string) [][4]any {
	out := [][4]any{}
	for _, k := range searchtext.Analyze([]byte(text)) {
		kind := 0
		if k.Kind == searchtext.Ident {
			kind = 1
		} else if k.Kind == searchtext.Part {
			kind = 2
		}
		out = append(out, [4]any{k.Term, float64(k.Pos), float64(kind), text[k.Start:k.End]})
	}
	return out
}

// TestChunkedAnalysis checks that analysing a text chunk by chunk, with
// the chunks remembered, gives the index the same terms as analysing it
// whole.
func TestChunkedAnalysis(t *testing.T) {
	texts := append(slices.Clone(oddTexts), "\xff\xfe bad \xe2, utf-8\xe2\x82 x\xc3", "a\xe2\x80\x99s-b")
	for _, d := range loadCorpus(t, 300).docs[:50] {
		for _, s := range d.Sections {
			texts = append(texts, s.Text)
		}
	}
	x := New()
	w := newWorker()
	for _, text := range texts {
		for range 2 { // the second time from the remembered chunks
			x.analyze(w, text, 1, true)
			got := map[string]string{}
			for i, id := range w.terms {
				got[x.terms[id&^partOnly]] = fmt.Sprint(w.wtf[i], id&partOnly != 0)
			}
			want := map[string]string{}
			counts := map[string]float64{}
			whole := map[string]bool{}
			for _, k := range searchtext.Analyze([]byte(text)) {
				counts[k.Term]++
				whole[k.Term] = whole[k.Term] || k.Kind != searchtext.Part
			}
			for term, n := range counts {
				want[term] = fmt.Sprint(n, !whole[term])
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%q:\n chunked %v\n whole   %v", text, got, want)
			}
			w.reset()
		}
	}
}

func needNode(t testing.TB) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	return node
}

func runNode(t testing.TB, node string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(node, args...)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

// assetPath writes the client's files into a temporary folder and
// returns the path of one of them.
func assetPath(t testing.TB, name string) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(Assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Assets, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name)
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
