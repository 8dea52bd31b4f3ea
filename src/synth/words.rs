//! Word lists for synthetic articles. They mix plain ASCII with the characters that break naive offset code
//! in real news text: accented names, curly quotes and apostrophes, em dashes, currency signs and emoji
//! outside the Basic Multilingual Plane (which are two UTF-16 units but one char).

/// People quoted in articles; accented and non-Latin-1 letters on purpose.
pub const PEOPLE: &[&str] = &[
    "Zoë Marchetti",
    "José Álvarez",
    "Margarethe Olsen",
    "Łukasz Nowak",
    "Anaïs Dubois",
    "Björn Ekström",
    "Chiara Bianchi",
    "Nnamdi Okafor",
    "François Lefèvre",
    "Ayşe Yılmaz",
    "Nguyễn Thị Lan",
    "Søren Halvorsen",
    "Dagný Jónsdóttir",
    "Tomás Ó Briain",
    "Priya Raghunathan",
    "Kenji Watanabe",
];

/// What the people quoted do.
pub const ROLES: &[&str] = &[
    "the authority’s chief engineer",
    "a spokesperson for the ministry",
    "an economist at the University of Vellmar",
    "the mayor",
    "a local shop owner",
    "the union’s regional secretary",
    "a senior analyst",
    "the opposition’s transport critic",
];

/// Organisations and anonymous sources.
pub const ORGS: &[&str] = &[
    "the Port Authority of Vellmar",
    "the Ministry of Transport",
    "U.S. intelligence",
    "the city council",
    "Reuters",
    "the Office for National Statistics",
    "officials familiar with the talks",
    "a leaked internal report",
    "the Vellmar Water Company",
    "Médecins Sans Frontières",
];

/// Places.
pub const PLACES: &[&str] = &[
    "Vellmar",
    "the harbour district",
    "Kursk",
    "São Paulo",
    "Zürich",
    "the northern suburbs",
    "Kraków",
    "the river delta",
    "Reykjavík",
    "the old town",
];

/// Countable things for numeric claims.
pub const THINGS: &[&str] = &[
    "vehicles",
    "households",
    "jobs",
    "passengers",
    "homes",
    "troops",
    "complaints",
    "hectares of farmland",
    "buses",
    "tonnes of grain",
];

/// Past-tense verbs for numeric claims.
pub const VERBS: &[&str] =
    &["crossed", "were affected by the closure in", "were recorded in", "were lost in", "arrived in", "left"];

/// Amounts, with the separators, currency signs and ranges real articles use.
pub const AMOUNTS: &[&str] = &[
    "41,000",
    "about 1.2 million",
    "up to 10,000",
    "more than 300",
    "€18 million worth of",
    "nearly 4,500",
    "fewer than 90",
    "some 2,300",
    "£7.5 million in",
    "roughly 60%",
];

/// Evaluative adjectives for opinions.
pub const ADJECTIVES: &[&str] = &[
    "reckless",
    "long overdue",
    "short-sighted",
    "courageous",
    "a disgrace",
    "naïve",
    "the right call",
    "deeply unfair",
    "a missed opportunity",
    "remarkably sensible",
];

/// Things opinions are about.
pub const TOPICS: &[&str] = &[
    "the minister’s plan",
    "the new tariff",
    "the bridge closure",
    "the council’s budget",
    "the rescue package",
    "the fare increase",
    "the festival’s move to the harbour",
    "the flood barrier",
];

/// Neutral connective sentences that carry no annotation.
pub const FILLERS: &[&str] = &[
    "The meeting lasted well into the evening",
    "Residents gathered outside the town hall on Tuesday",
    "The proposal will be debated again next month",
    "Work is expected to begin in the spring",
    "The figures have not been independently verified",
    "Traffic was diverted through the old town",
    "A public consultation closes on 30 June",
    "The decision follows months of negotiation",
];

/// Emoji, including astral-plane ones, a skin-tone modifier sequence and a flag (two regional indicators).
pub const EMOJI: &[&str] = &["😡", "🚆", "👍🏽", "🇪🇺", "🌊", "✅", "🔥", "⚠️"];

/// Days for attribution clauses.
pub const DAYS: &[&str] = &["on Monday", "on Tuesday", "on Friday", "last week", "in a statement", "late on Sunday"];

/// Publications for metadata.
pub const PUBLICATIONS: &[&str] = &["The Vellmar Courier", "Harbour Daily", "Le Journal du Nord", "Der Morgen"];

/// Annotators who made spans.
pub const ANNOTATORS: &[&str] = &["ana", "ben", "zoë"];
