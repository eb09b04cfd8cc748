//! The diagnostic and API reference pages: rendered from templates like every other page, and
//! translated.

mod common;
use common::{Server, get, start};
use solidaria_app::accounts;
use solidaria_core::moderation::Role;

/// Adds records to the test server's database.
fn add(s: &Server, lines: &str) {
    let mut store = solidaria_store::open(&s.db).unwrap();
    let records: Vec<_> = lines
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| solidaria_core::record::parse_record(&serde_json::from_str(l).unwrap()).unwrap())
        .collect();
    let mut tx = store.transaction().unwrap();
    tx.upsert_records("test", &records).unwrap();
    tx.commit().unwrap();
}

/// A session cookie header for a new user with `role`.
fn session(s: &Server, name: &str, role: Role) -> String {
    let mut store = solidaria_store::open(&s.db).unwrap();
    store.add_user("test", name, role, &accounts::hash_password("a passphrase long enough").unwrap()).unwrap();
    let secret = accounts::new_secret().unwrap();
    store.create_session(&accounts::token_digest(&secret), name, "csrf", 3600).unwrap();
    format!("Cookie: {}={secret}\r\n", solidaria_web::auth::SESSION_COOKIE)
}

#[test]
fn every_page_has_the_site_menu_with_the_entries_of_the_visitor_s_role() {
    let s = start();
    let pages = [
        "/",
        "/map",
        "/territories",
        "/cases",
        "/cases/day",
        "/profiles",
        "/profiles/ica-1995",
        "/funds",
        "/actors/coop",
        "/territories/CA-QC/diagnostic",
        "/api/docs",
        "/login",
        "/no/such/page",
    ];
    for path in pages {
        let (_, _, page) = get(&s, path, "Accept: text/html\r\n");
        assert!(page.contains(r#"<nav class="menu" id="menu" aria-label="Site menu">"#), "{path}: {page}");
        for href in [
            "/?lang=en",
            "/map?lang=en",
            "/territories?lang=en",
            "/cases?lang=en",
            "/profiles?lang=en",
            "/funds?lang=en",
        ] {
            assert!(page.contains(&format!("<a href=\"{href}\"")), "{path} links {href}");
        }
        assert!(page.contains(r#"<a href="/login?lang=en""#), "{path}: anonymous visitors may log in");
        assert!(!page.contains(r#"href="/moderation"#), "{path}: no moderation for anonymous visitors");
    }
    let (_, _, page) = get(&s, "/territories/CA-QC/diagnostic?lang=fr", "");
    assert!(page.contains(r#"<a href="/territories?lang=fr" aria-current="page">Territoires</a>"#), "{page}");
    assert!(page.contains(r#"<nav class="crumbs" aria-label="Vous êtes ici">"#), "breadcrumbs: {page}");
    let contributor = session(&s, "bo", Role::Contributor);
    let page = get(&s, "/", &contributor).2;
    assert!(page.contains(r#"<a href="/account?lang=en">Account</a>"#) && !page.contains("/moderation?"), "{page}");
    let moderator = session(&s, "mo", Role::Moderator);
    let page = get(&s, "/cases", &moderator).2;
    assert!(page.contains(r#"<a href="/moderation?lang=en">Moderation queue</a>"#), "{page}");
}

#[test]
fn long_lists_are_paged() {
    let s = start();
    let many: String = (0..60)
        .map(|i| format!("{{\"type\":\"actor\",\"id\":\"a{i:02}\",\"name\":\"Actor {i:02}\",\"territory\":\"FR\"}}\n"))
        .collect();
    add(&s, &many);
    let (_, _, page) = get(&s, "/?lang=fr", "");
    assert!(page.contains("62 acteurs") && page.contains("1–50 sur 62"), "{page}");
    assert!(page.contains(r#"<a href="/?lang=fr&#38;offset=50" rel="next">Suivant →</a>"#), "{page}");
    assert!(!page.contains("Actor 59"), "the last actors are on the next page");
    let (_, _, page) = get(&s, "/?lang=fr&offset=50", "");
    assert!(page.contains("51–62 sur 62") && page.contains("Actor 59") && page.contains(r#"rel="prev""#), "{page}");
    assert!(!page.contains(r#"rel="next""#), "{page}");
    // Filters stay in the links.
    let page = get(&s, "/?territory=FR&limit=20", "").2;
    assert!(page.contains(r#"href="/?lang=en&#38;territory=FR&#38;limit=20&#38;offset=20""#), "{page}");
    // The cases too, and their search reads ?q.
    add(&s, r#"{"type":"case","id":"market","name":"Farmers' market","territory":"CA-QC","kind":"service"}"#);
    let page = get(&s, "/cases?limit=1", "").2;
    assert!(page.contains("1–1 of 2") && page.contains(r#"href="/cases?lang=en&#38;limit=1&#38;offset=1""#), "{page}");
    let page = get(&s, "/cases?q=farmers", "").2;
    assert!(page.contains("Farmers&#39; market") && !page.contains("Volunteering day"), "{page}");
}

#[test]
fn browsers_get_error_pages_in_their_language_and_programs_get_json() {
    let s = start();
    let html = "Accept: text/html,application/xhtml+xml\r\n";
    let (status, head, page) = get(&s, "/?limit=ten&lang=fr", html);
    assert_eq!(status, 400);
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(page.contains(r#"<html lang="fr">"#) && page.contains("id=\"menu\"") && page.contains("limit"), "{page}");
    let (status, head, page) = get(&s, "/no/such/page", &format!("{html}Accept-Language: es\r\n"));
    assert_eq!(status, 404);
    assert!(head.contains("text/html") && page.contains("<h1>Página no encontrada</h1>"), "{page}");
    // Programs, and the API even from a browser, get JSON.
    let (status, head, body) = get(&s, "/?limit=ten", "");
    assert_eq!(status, 400);
    assert!(head.contains("application/json"), "{head}: {body}");
    let (status, head, body) = get(&s, "/api/actors?limit=ten", html);
    assert_eq!(status, 400);
    assert!(head.contains("application/json") && body.contains("query_invalid"), "{body}");
    let (status, _, body) = get(&s, "/api/nothing/here", html);
    assert_eq!(status, 404);
    assert!(body.contains("\"reason\":\"page_not_found\""), "{body}");
    // Forbidden, as a page.
    let contributor = session(&s, "bo", Role::Contributor);
    let (status, _, page) = get(&s, "/moderation?lang=fr", &contributor);
    assert_eq!(status, 403);
    assert!(page.contains("id=\"menu\""), "{page}");
}

#[test]
fn territories_are_accepted_by_name_where_codes_are() {
    let s = start();
    for typed in ["Qu%C3%A9bec", "quebec", "QUEBEC", "ca-qc"] {
        let (status, _, page) = get(&s, &format!("/?territory={typed}"), "");
        assert_eq!(status, 200, "{typed}: {page}");
        assert!(page.contains("1 actors") && page.contains("/actors/coop?"), "{typed}: {page}");
        assert!(page.contains(r#"name="territory" value="CA-QC""#), "the code is shown: {page}");
    }
    // Ambiguous: a page listing the choices, each keeping the other filters.
    let (status, _, page) = get(&s, "/?territory=georgia&q=coop&lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("Quel territoire ?"), "{page}");
    assert!(page.contains(r#"<a href="/?lang=fr&#38;q=coop&#38;territory=GE">Georgia</a> <code>GE</code>"#), "{page}");
    assert!(page.contains(r#"territory=US-GA""#), "{page}");
    // The diagnostic's address and the territories page's search.
    let (status, head, _) = get(&s, "/territories/Qu%C3%A9bec/diagnostic?lang=fr", "");
    assert_eq!(status, 303);
    assert!(head.contains("location: /territories/ca-qc/diagnostic?lang=fr"), "headers are lower-cased: {head}");
    let (status, head, _) = get(&s, "/territories?territory=ontario", "");
    assert_eq!(status, 303);
    assert!(head.contains("location: /territories/ca-on/diagnostic?lang=en"), "{head}");
    let page = get(&s, "/cases?territory=Ontario", "").2;
    assert!(page.contains("Volunteering day"), "{page}");
    let page = get(&s, "/map?territory=quebec", "").2;
    assert!(page.contains("<span id=\"map-count\">1</span>"), "{page}");
}

#[test]
fn the_territories_page_counts_actors_by_category_and_links_each_diagnostic() {
    let s = start();
    let (status, _, page) = get(&s, "/territories?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Territoires</h1>"), "{page}");
    assert!(
        page.contains(r#"<a href="/territories/CA/diagnostic?lang=fr">Canada</a> <code>CA</code></td><td>2</td>"#),
        "Canada counts Quebec's and Ontario's actors: {page}"
    );
    assert!(
        page.contains(
            r#"<a href="/territories/CA-QC/diagnostic?lang=fr">Quebec</a> <code>CA-QC</code></td><td>1</td>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"aria-label="Acteurs par catégorie : Canada""#)
            || page.contains(r#"aria-label="Acteurs par catégorie: Canada""#),
        "{page}"
    );
    assert!(
        page.contains("Organisations de l&#39;ESS") && page.contains("Entreprises privées"),
        "categories in French: {page}"
    );
    assert_eq!(page.matches("<svg").count(), 3, "a chart per territory: {page}");
}

#[test]
fn the_diagnostic_groups_suggestions_by_block_with_names_and_shortlists_brokers() {
    let s = start();
    add(
        &s,
        r#"{"type":"actor","id":"c1","name":"Coop Un","category":"sse_organization","territory":"FR"}
{"type":"actor","id":"c2","name":"Coop Deux","category":"sse_organization","territory":"FR"}
{"type":"actor","id":"c3","name":"Coop Trois","category":"sse_organization","territory":"FR"}
{"type":"actor","id":"fonds","name":"Fonds <Solidaire>","category":"finance_provider","territory":"FR"}
{"type":"actor","id":"reseau","name":"Réseau","category":"support_network","territory":"FR"}
{"type":"actor","id":"labo","name":"Labo","category":"knowledge_institution","territory":"FR"}
{"type":"relation","from":"reseau","to":"c1","kind":"member_of"}
{"type":"relation","from":"reseau","to":"labo","kind":"partners_with"}
{"type":"relation","from":"c2","to":"c3","kind":"partners_with"}"#,
    );
    let (status, _, page) = get(&s, "/territories/FR/diagnostic?lang=fr", "");
    assert_eq!(status, 200);
    // Finance is weak: the fund could work with every co-op, named and linked, once each.
    assert!(page.contains("<h4>financement (23/100)</h4>"), "{page}");
    let fund = r#"<a href="/actors/fonds?lang=fr">Fonds &#60;Solidaire&#62;</a> sert ce pilier et n&#39;a encore aucun lien avec "#;
    assert_eq!(page.matches(fund).count(), 1, "one line per actor and block: {page}");
    for (id, name) in [("c1", "Coop Un"), ("c2", "Coop Deux"), ("c3", "Coop Trois")] {
        assert!(page.contains(&format!(r#"<a href="/actors/{id}?lang=fr">{name}</a>"#)), "{id}: {page}");
    }
    // Brokers: the shortlist under its stated rule, the full table one click away.
    assert!(page.contains("<h4>Intermédiaires à contacter en premier</h4>"), "{page}");
    assert!(page.contains("20 réseaux aléatoires"), "the rule is said: {page}");
    assert!(page.contains(r#"<details class="all-brokers"><summary>Tous les intermédiaires (1)</summary>"#), "{page}");
    assert!(page.contains(r#"<a href="/actors/reseau?lang=fr">Réseau</a>"#), "brokers by name: {page}");
    // Any wiring of these degrees puts the network in the middle of a path, so it does not stand
    // out; but it alone bridges co-ops and the lab, so the cover shortlists it, saying so.
    assert!(!page.contains(r#"<p class="shortlist-none">"#), "{page}");
    let shortlist = &page[page.find(r#"<table class="shortlist">"#).expect("a shortlist")..];
    let shortlist = &shortlist[..shortlist.find("</table>").unwrap()];
    assert!(shortlist.contains(r#"<a href="/actors/reseau?lang=fr">Réseau</a>"#), "{shortlist}");
    assert!(shortlist.contains("<th>Pourquoi sur cette liste</th>"), "{shortlist}");
    assert!(
        shortlist.contains(
            r#"<td class="why">Premier à relier : Institutions du savoir – Organisations de l&#39;ESS.</td>"#
        ),
        "the reason in words: {shortlist}"
    );
    assert!(!shortlist.contains("Se distingue"), "{shortlist}");
    // Reasons and gaps are French sentences with the figures, categories and territory in words.
    assert!(
        page.contains("1 acteur(s) servent ce pilier, dont 1 par le rôle par défaut de leur catégorie (13/40 pour la couverture)<br>1 catégorie(s) parmi eux : Financeurs (10/20 pour la diversité)<br>0 des 3 organisations de l&#39;ESS sont liées à l&#39;un d&#39;eux (0/40 pour la connexion)"),
        "{page}"
    );
    let gaps = &page[page.find("<h3>Lacunes</h3>").expect("the gaps")..];
    let gaps = &gaps[..gaps.find("</ul>").unwrap()];
    assert!(
        gaps.contains("<li>financement : aucun acteur qui sert ce pilier n&#39;est lié à une organisation de l&#39;ESS du territoire France</li>"),
        "{gaps}"
    );
    assert!(gaps.contains("<li>politiques favorables : aucun acteur de France ne sert ce pilier</li>"), "{gaps}");
    assert!(!gaps.contains("serves") && !gaps.contains("actor"), "no English left: {gaps}");
    // The network picture: every actor a link to its page a keyboard reaches, named in French.
    let picture = &page[page.find(r#"<div class="network">"#).expect("the picture")..];
    let picture = &picture[..picture.find("</svg>").unwrap()];
    assert!(picture.contains(r#"role="group" aria-label="Réseau: France (FR)""#), "{picture}");
    assert!(
        picture.contains(
            r#"<a href="/actors/reseau?lang=fr" class="node"><title>Réseau : Réseaux d&#39;appui, intermédiarité 0,"#
        ),
        "{picture}"
    );
    assert_eq!(picture.matches("<a href=").count(), 6, "{picture}");
    assert!(!picture.contains("support_network") && !picture.contains("betweenness"), "{picture}");
    // The organizations a link would also join to a separate part of the network come first, said once.
    assert!(
        page.contains(
            r#"<a href="/actors/c2?lang=fr">Coop Deux</a>, <a href="/actors/c3?lang=fr">Coop Trois</a> (ces liens relieraient aussi des parties séparées du réseau)"#
        ),
        "{page}"
    );
}

#[test]
fn pages_print_without_menu_or_forms_and_with_their_links_addresses() {
    let s = start();
    let page = get(&s, "/territories/CA-QC/diagnostic", "").2;
    let print = &page[page.find("@media print{").expect("a print style")..];
    let print = &print[..print.find("\n}\n").unwrap()];
    assert!(print.contains("nav.menu") && print.contains("form") && print.contains("display:none"), "{print}");
    assert!(print.contains(r#"content:" <" attr(href) ">""#), "{print}");
}

#[test]
fn the_diagnostic_page_is_translated_and_keeps_its_charts() {
    let s = start();
    let (status, head, page) = get(&s, "/territories/CA-QC/diagnostic?lang=fr", "");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    assert!(page.contains("<h1>Écosystème de l&#39;ESS du territoire Quebec (CA-QC)</h1>"), "{page}");
    assert!(
        page.contains("aria-label=\"Éléments constitutifs\"><title>Éléments constitutifs</title>"),
        "the radar chart, named in French: {page}"
    );
    assert!(page.contains("renforcement des capacités"), "blocks in French, on the chart and in the table");
    assert!(page.contains("Intermédiaires") && page.contains("Partenariats suggérés"), "{page}");
    assert!(page.contains("href=\"/api/territories/CA-QC/diagnostic\""), "{page}");
    // Compared, in Spanish from the browser's language: one radar, one picture per territory.
    let (status, _, page) = get(&s, "/territories/CA/diagnostic?compare=CA-QC", "Accept-Language: es\r\n");
    assert_eq!(status, 200);
    assert!(page.contains("Ecosistema de la ESS del territorio Canada (CA) comparado con Quebec (CA-QC)"), "{page}");
    assert_eq!(page.matches("<svg").count(), 3);
    assert!(page.contains("2 actores, 1 vínculos"), "the network numbers: {page}");
    assert!(
        page.contains("aria-label=\"Red: ") && !page.contains("Network of"),
        "the network picture, in Spanish: {page}"
    );
    // Each picture has its zoom buttons, in the page's language, shown by the picture's script.
    assert_eq!(
        page.matches(r#"<div class="zoom" role="group" aria-label="Zoom de la imagen de la red" hidden>"#).count(),
        2
    );
    assert!(page.contains(r#"<button type="button" data-zoom="in">+ Acercar</button>"#), "{page}");
    assert!(page.contains(r#"<script src="/static/network.js" defer></script>"#), "{page}");
    let (status, head, script) = get(&s, "/static/network.js", "");
    assert!(status == 200 && head.contains("text/javascript"), "{head}");
    assert!(script.contains("viewBox") && script.contains("wheel"), "the zoom script is served");
}

#[test]
fn the_api_reference_lists_the_operations_in_the_page_language() {
    let s = start();
    let (status, _, page) = get(&s, "/api/docs?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"fr\">") && page.contains("<h1>API de Solidaria</h1>"), "{page}");
    assert!(page.contains("<h2><code>GET /api/actors</code></h2>"), "{page}");
    assert!(page.contains("<code>territory</code> (requête)"), "parameters and where they go: {page}");
    assert!(page.contains(r#"{"error": {"code", "reason", "message", "field"}}"#), "errors carry their reason");
    let english = get(&s, "/api/docs", "").2;
    assert!(english.contains("<h1>Solidaria API</h1>") && english.contains("(query)"), "{english}");
}

/// An actor page says what the law of the actor's legal form makes true, cited, and for an
/// undecided verdict which facts would decide it (issue #13).
#[test]
fn the_actor_page_shows_the_law_of_its_form_and_what_would_decide() {
    let s = start();
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        let record = serde_json::json!({"type": "actor", "id": "asso-fr", "name": "Association du quartier",
            "legal_form": {"code": "INSEE-CJ-9220", "family": "association"}, "territory": "FR",
            "facts": {"surplus.distribution_allowed": true}});
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("test", &[solidaria_core::record::parse_record(&record).unwrap()]).unwrap();
        tx.commit().unwrap();
    }
    let (status, _, page) = get(&s, "/actors/asso-fr?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains("<h2>Selon la loi</h2>"), "{page}");
    assert!(page.contains("Loi du 1er juillet 1901, art. 1"), "the rule is cited: {page}");
    assert!(page.contains("Conflit de données"), "the documented distribution contradicts art. 1: {page}");
    assert!(
        page.contains("Distribution des excédents permise : documenté comme oui, mais la loi (Loi du 1er juillet 1901"),
        "the conflict in French: {page}"
    );
    assert!(
        page.contains("(selon la loi : Loi n° 2014-856 du 31 juillet 2014, art. 1 II 1°)"),
        "fr-ess-2014 by status: {page}"
    );
    assert!(
        page.contains("Ce qui permettrait de trancher") && page.contains("pour être reconnue, documenter "),
        "{page}"
    );
    // An actor whose form the statutes do not know has no such section.
    let (_, _, other) = get(&s, "/actors/coop?lang=fr", "");
    assert!(!other.contains("Selon la loi"), "{other}");
}

#[test]
fn the_status_box_shows_only_what_the_app_sets() {
    // Fails without the fix: ?saved=proposal-<text> put that text in the green box.
    let s = start();
    let (status, _, page) = get(&s, "/actors/coop?saved=proposal-Call%200800%20SCAM", "");
    assert_eq!(status, 200);
    assert!(!page.contains("SCAM") && !page.contains("role=\"status\""), "{page}");
    let (_, _, page) = get(&s, "/actors/coop?saved=proposal-7", "");
    assert!(page.contains("role=\"status\"") && page.contains("(#7)"), "{page}");
}

/// The claims an actor's facts contradict under the profiles of its own country and the UN and
/// ILO definitions are warned about at the top of its page; those contradicted only by other
/// countries' laws stay with their folded verdicts, so they do not push the summary down (#17).
#[test]
fn only_the_claims_contradicted_where_the_actor_is_are_warned_about_at_the_top() {
    let s = start();
    {
        let mut store = solidaria_store::open(&s.db).unwrap();
        let record = serde_json::json!({"type": "actor", "id": "qc-se", "name": "Entreprise d'ici",
            "legal_form": {"family": "cooperative"}, "territory": "CA-QC", "claims": ["social_enterprise"],
            "facts": {"income.trading_share": 0.1}});
        let mut tx = store.transaction().unwrap();
        tx.upsert_records("test", &[solidaria_core::record::parse_record(&record).unwrap()]).unwrap();
        tx.commit().unwrap();
    }
    let (status, _, page) = get(&s, "/actors/qc-se?lang=fr", "");
    assert_eq!(status, 200);
    let (top, detail) = page.split_once("id=\"detail\"").expect("the detail follows the summary");
    assert!(!top.contains("role=\"alert\""), "no warning at the top: {top}");
    let uk = detail.split("id=\"v-uk-sem\"").nth(1).expect("the Social Enterprise Mark among the other profiles");
    let uk = uk.split("</details>").next().unwrap_or("");
    assert!(uk.contains("class=\"warning\"") && uk.contains("Elle se réclame « Entreprise sociale »"), "{uk}");
    assert!(uk.contains("Part des revenus tirés des ventes : 0,1, alors qu&#39;il faut au moins 0,5"), "{uk}");
}

#[test]
fn the_actor_page_lists_its_sites_with_their_source_and_counts_the_rest() {
    let s = start();
    let site = |i: usize| {
        serde_json::json!({"name": format!("Shop <{i}>"), "address": {"street": "1 Derby Road\nFarnworth", "locality": "Widnes", "postcode": format!("WA8 {i}LQ")},
            "source": {"dataset": "coops-uk-2017-outlets", "edition": "2017-06", "line": i + 2}})
    };
    let few =
        serde_json::json!({"type": "actor", "id": "wooldale", "name": "Wooldale Co-op", "sites": [site(0), site(1)]});
    let many = serde_json::json!({"type": "actor", "id": "group", "name": "Co-op Group",
        "sites": (0..103).map(site).collect::<Vec<_>>()});
    add(&s, &format!("{few}\n{many}\n{{\"type\":\"actor\",\"id\":\"none\",\"name\":\"No sites\"}}"));
    let (status, _, page) = get(&s, "/actors/wooldale?lang=fr", "");
    assert_eq!(status, 200);
    assert!(page.contains(r#"<h2 id="sites">Établissements (2)</h2>"#), "{page}");
    assert!(
        page.contains("<td>Shop &#60;1&#62;</td><td>1 Derby Road Farnworth, Widnes</td><td>WA8 1LQ</td>"),
        "{page}"
    );
    assert!(page.contains("coops-uk-2017-outlets 2017-06, ligne 3"), "each site with its row: {page}");
    assert!(!page.contains("autres, dans le JSON"), "{page}");
    let (_, _, page) = get(&s, "/actors/group", "");
    assert!(page.contains(r#"<h2 id="sites">Sites (103)</h2>"#), "{page}");
    assert_eq!(page.matches("<td>WA8 ").count(), 100, "the first hundred listed");
    assert!(page.contains("… and 3 more, in the record&#39;s JSON."), "{page}");
    let (_, _, page) = get(&s, "/actors/none", "");
    assert!(!page.contains(r#"id="sites""#), "no section without sites");
}

/// A case's preconditions read in the page's language: the context key's label and the values'
/// labels, never the key or a value code as written in the record.
#[test]
fn a_case_s_preconditions_read_in_people_s_words() {
    let s = start();
    add(
        &s,
        r#"{"type":"case","id":"fund","name":"Loan fund","territory":"CA-QC","preconditions":[{"key":"context.social_finance_market","op":"in","value":["emerging","developed"],"reason":"it lends through intermediaries"},{"key":"context.formal_credit_access","op":">=","value":0.4,"kind":"supportive"},{"key":"context.sse_law","op":"=","value":true}]}"#,
    );
    let (_, _, en) = get(&s, "/cases/fund?lang=en", "");
    assert!(en.contains("Social finance market: emerging or developed — it lends through intermediaries"), "{en}");
    assert!(
        en.contains("<strong>supportive</strong> · Share of adults with access to formal credit: at least 40%"),
        "{en}"
    );
    assert!(en.contains("An SSE framework law is in force: yes"), "{en}");
    for lang in ["en", "fr", "es"] {
        let page = get(&s, &format!("/cases/fund?lang={lang}"), "").2;
        for raw in ["context.", "social_finance_market", "formal_credit_access", "sse_law", "&gt;=", "[&#34;"] {
            assert!(!page.contains(raw), "{lang}: the page shows {raw}: {page}");
        }
    }
    let fr = get(&s, "/cases/fund?lang=fr", "").2;
    assert!(
        fr.contains("<strong>favorable</strong> · Part des adultes ayant accès au crédit formel : au moins 40\u{a0}%"),
        "{fr}"
    );
    let es = get(&s, "/cases/fund?lang=es", "").2;
    assert!(es.contains("Mercado de finanzas sociales: emergente o desarrollado"), "{es}");
}

/// With one database request at a time (`serve --db-requests 1`), every page and read of the API
/// is still answered while others wait: a handler that asked for a second database turn while
/// holding one would wait for itself (and, under load, with any number of turns).
#[test]
fn one_database_request_at_a_time_answers_every_page_and_api_read() {
    use std::io::{Read, Write};
    let s = common::start_with(solidaria_web::Options { db_requests: 1, ..Default::default() });
    let paths: [&'static str; 24] = [
        "/",
        "/map",
        "/territories",
        "/territories/CA-QC/diagnostic",
        "/cases",
        "/cases/day",
        "/profiles",
        "/funds",
        "/actors/coop",
        "/dashboard",
        "/api/actors?q=coop",
        "/api/actors.geojson",
        "/api/actors/coop",
        "/api/cases",
        "/api/territories/CA-QC/diagnostic",
        "/api/territories/CA-QC/history",
        "/api/territories/CA-QC/social-finance",
        "/api/profiles/ica-1995",
        "/api/screenings?detail=true",
        "/api/export?format=csv",
        "/api/funds",
        "/api/strategies",
        "/api/dashboard",
        "/murmurations/coop.json",
    ];
    let addr = s.addr;
    let threads: Vec<_> = (0..3)
        .flat_map(|_| paths)
        .map(|path| {
            std::thread::spawn(move || {
                let mut c = std::net::TcpStream::connect(addr).unwrap();
                c.set_read_timeout(Some(std::time::Duration::from_secs(60))).unwrap();
                write!(c, "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").unwrap();
                let mut raw = Vec::new();
                let read = c.read_to_end(&mut raw);
                let head = String::from_utf8_lossy(&raw).lines().next().unwrap_or_default().to_string();
                (path, read.is_ok(), head)
            })
        })
        .collect();
    for t in threads {
        let (path, answered, head) = t.join().unwrap();
        assert!(answered, "{path}: no answer within 60 s");
        let status: u16 = head.split(' ').nth(1).and_then(|x| x.parse().ok()).unwrap_or(0);
        assert!((200..500).contains(&status) && status != 404, "{path}: {head}");
    }
}
