// The language checks of the browser scenarios (run.mjs): a page in French or Spanish shows no
// internal code and no English word.
//
// What a person sees is each page's rendered text (folded sections left out, as they are unseen).
// Codes are searched in all of it: snake_case tokens (`sse_organization`) and fact keys
// (`governance.voting_rule`). English words are searched in the interface's text only: the
// records' own words are left out (actors' and funds' names, which are links; descriptions,
// evidence, citations and mechanism names, which the pages mark lang="" since their language is
// unknown; the language menu's names, each in its own language). The words are English words
// that are not also French or Spanish (but ALSO) and that do not appear in the proper names and cited titles of the
// demo's interface text: function words and the app's own vocabulary.
const ENGLISH = ['the', 'and', 'with', 'which', 'is', 'are', 'has', 'not', 'of', 'to', 'for', 'from', 'by', 'yet',
  'serves', 'actor', 'actors', 'links', 'network', 'betweenness', 'coverage', 'diversity', 'qualifies',
  'undecided', 'missing', 'needed', 'documented', 'itself', 'brokers', 'gaps', 'weak', 'expected', 'received',
  'loan', 'fits', 'search', 'next', 'previous', 'directory', 'map', 'log', 'verdict', 'evidence', 'facts'];
// English words that are words of another language too ("actor" is Spanish).
const ALSO = { es: ['actor'] };
const FACT_KEY = /\b(activity|assets|beneficiaries|context|control|employees|finance|governance|income|legal_form|members|membership|pay|purpose|reserves|si|surplus|team|trade|transparency|workers)\.[a-z_]+\b/g;
const SNAKE = /\b[a-z][a-z0-9]*_[a-z0-9_]+\b/g;

// The rendered text of the page: every text node with a box, outside folded sections; with
// `interfaceOnly`, the records' words (see above) left out.
const shownText = (page, interfaceOnly, lang) => page.evaluate(([interfaceOnly, lang]) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!e || e.closest('script, style, title') || e.getClientRects().length === 0) continue;
    if (interfaceOnly && e.closest(`[lang]:not([lang^="${lang}"]), a[href^="/actors/"], a[href^="/funds/"]`)) continue;
    out.push(n.textContent);
  }
  return out.join(' ').replace(/\s+/g, ' ');
}, [interfaceOnly, lang]);

// What of the page is not in `lang`: each code anywhere in the rendered text, and each English
// word in the interface's text.
export async function noCodeNoEnglish(page, where, lang) {
  const problems = [];
  const all = await shownText(page, false, lang);
  for (const re of [SNAKE, FACT_KEY]) {
    for (const m of all.matchAll(re)) problems.push(`code "${m[0]}" on ${where}: …${all.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
  }
  const words = await shownText(page, true, lang);
  for (const w of ENGLISH.filter((x) => !(ALSO[lang] || []).includes(x))) {
    const m = new RegExp(`(^|[^\\p{L}])(${w})(?![\\p{L}])`, 'iu').exec(words);
    if (m) problems.push(`English "${w}" on ${where}: …${words.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
  }
  return problems;
}
