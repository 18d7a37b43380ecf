package parser

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ask is what the wording of a short block asks of the reader. Only
// subscribeAsk and meterAsk are walls; the other asks use the same words
// ("subscribe", "abonnieren", "member") for something that gates nothing,
// and their blocks are kept out of the text without marking the page.
type ask int

const (
	noAsk ask = iota
	// subscribeAsk sells access: "Subscribe now", "Jetzt abonnieren",
	// "Create a free account to continue reading".
	subscribeAsk
	// meterAsk counts the reader's free articles: the page runs a meter.
	meterAsk
	// signupAsk offers a newsletter or e-mail sign-up.
	signupAsk
	// appealAsk asks for a donation or a supporting membership.
	appealAsk
	// consentAsk is a cookie or consent layer, pay-or-consent included.
	consentAsk
	// commentsAsk gates the comments, not the story.
	commentsAsk
	// eventAsk sells a seat at an event ("Members' evening, Thursday
	// 7 pm, free for members"): its "for members" gates no story.
	eventAsk
)

// isWall reports whether the ask marks a subscription wall.
func (a ask) isWall() bool { return a == subscribeAsk || a == meterAsk }

// isOther reports whether the ask is for something that gates nothing.
func (a ask) isOther() bool { return a != noAsk && !a.isWall() }

// normalise lower-cases text, folds the typographic apostrophes, dashes
// and spaces publishers use and collapses white space, so that phrases
// match plainly. It is, in one pass,
//
//	strings.Join(strings.Fields(strings.NewReplacer("’", "'", "‘", "'",
//		"\u00a0", " ", "\u202f", " ", "–", "-", "—", "-").Replace(strings.ToLower(text))), " ")
func normalise(text string) string {
	b := make([]byte, 0, len(text))
	pending := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			// An invalid byte decodes to utf8.RuneError, which
			// strings.ToLower writes out as the replacement rune too.
			r, size = utf8.DecodeRuneInString(text[i:])
			r = unicode.ToLower(r)
		} else if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		i += size
		switch r {
		case '’', '‘':
			r = '\''
		case '–', '—':
			r = '-'
		case '\u00a0', '\u202f':
			r = ' '
		}
		if r < utf8.RuneSelf && asciiSpace[r] || r >= utf8.RuneSelf && unicode.IsSpace(r) {
			pending = len(b) > 0
			continue
		}
		if pending {
			b = append(b, ' ')
			pending = false
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

// subscribePhrases sell a subscription outright; one is enough. Lower
// case, plain apostrophes.
var subscribePhrases = []string{
	// English
	"subscribe now", "subscribe today", "subscribe to continue", "subscribe to read", "subscribe to keep",
	"subscribe to unlock", "subscribe for", "subscribe from", "subscribe and", "become a subscriber",
	"purchase a subscription", "buy a subscription", "start your subscription", "start a subscription",
	"start subscription", "get a subscription", "subscription options", "already a subscriber",
	"already subscribed", "already have a subscription", "already a paid subscriber", "subscribers only",
	"subscriber-only", "subscriber only", "subscriber exclusive", "exclusive to subscribers",
	"for subscribers", "for paid subscribers", "for paying subscribers", "available to subscribers",
	"get unlimited access", "unlimited digital access", "for unlimited access", "start your free trial",
	"start free trial", "start trial", "unlock this article", "unlock this story", "unlock full access",
	// German
	"jetzt abonnieren", "abonnieren sie", "abo abschließen", "jetzt abo", "abo-angebote", "abo ansehen",
	"abo testen", "jetzt testen", "bereits abonnent", "schon abonnent", "exklusiv für abonnenten",
	"nur für abonnenten", "für abonnenten", "abonnenten vorbehalten", "artikel freischalten",
	"jetzt freischalten", "plus-abo", "digital-abo", "probeabo", "probe-abo",
	// French
	"abonnez-vous", "abonnez vous", "déjà abonné", "réservé aux abonnés", "réservée aux abonnés",
	"je m'abonne", "s'abonner", "offre d'abonnement", "nos offres d'abonnement",
	// Spanish
	"suscríbete", "suscribete", "suscríbase", "suscribirse", "hazte suscriptor", "hágase suscriptor",
	"ya eres suscriptor", "ya soy suscriptor", "exclusivo para suscriptores", "solo para suscriptores",
	"ya sos suscriptor", "suscribite", "ya tenés cuenta", "ya tienes cuenta",
	"sólo para suscriptores", "para suscriptores", "oferta de suscripción",
	// Polish
	"zaprenumeruj", "wykup prenumeratę", "kup prenumeratę", "zamów prenumeratę", "zostań prenumeratorem",
	"masz już prenumeratę", "dla prenumeratorów", "dla subskrybentów", "wykup subskrypcję", "kup subskrypcję",
	"wykup dostęp do", "zobacz ofertę prenumeraty",
	// Dutch
	"word abonnee", "neem een abonnement", "sluit een abonnement af", "digitaal abonnement", "lees onbeperkt",
	"al abonnee", "alleen voor abonnees", "voor abonnees", "abonneer nu", "bekijk de abonnementen",
	// Italian
	"abbonati ora", "abbonati subito", "sei già abbonato", "già abbonato", "riservato agli abbonati",
	"riservata agli abbonati", "solo per gli abbonati", "per gli abbonati", "abbonamento digitale", "scopri l'offerta",
	// Portuguese
	"assine já", "assine agora", "assine o", "assine a", "seja assinante", "torne-se assinante", "já é assinante",
	"já sou assinante", "exclusivo para assinantes", "exclusiva para assinantes", "para assinantes", "faça sua assinatura",
	"assinatura digital",
	"prenumerata cyfrowa", "e-prenumerata", "grona prenumeratorów",
	// Japanese
	"購読する", "購読はこちら", "有料会員", "会員限定", "購読者限定", "定期購読", "有料プラン",
	// Swedish, Czech, Korean, Turkish
	"prenumerera nu", "bli prenumerant", "redan prenumerant", "för prenumeranter", "teckna prenumeration",
	"předplaťte si", "kupte si předplatné", "již máte předplatné", "máte předplatné", "pro předplatitele",
	"유료 회원", "유료회원", "구독자 전용", "abonelik", "zaten abone", "abonelere özel",
	// Danish, Norwegian, Finnish
	"bliv abonnent", "køb abonnement", "allerede abonnent", "for abonnenter", "bli abonnent", "kjøp abonnement",
	"er du allerede abonnent", "tilaa nyt", "tilaa digi", "oletko jo tilaaja", "jo tilaaja", "tilaajille",
	// Greek, Russian
	"γίνετε συνδρομητής", "γίνε συνδρομητής", "είστε ήδη συνδρομητής", "για συνδρομητές", "αποκλειστικά για συνδρομητές",
	"оформить подписку", "оформите подписку", "уже подписчик", "уже есть подписка", "для подписчиков",
	// Chinese, Arabic, Hebrew
	"订阅会员", "成为会员", "开通会员", "已是会员", "会员专享", "付费订阅", "訂閱會員", "成為會員", "已是會員", "會員專享",
	"立即訂閱", "立即订阅", "成為訂戶", "成为订户", "已經是訂戶", "已经是订户", "已是訂戶", "已是订户", "訂閱方案", "订阅方案",
	"اشترك الآن", "مشترك بالفعل", "للمشتركين", "خاص بالمشتركين",
	"רכשו מנוי", "לרכישת מנוי", "כבר מנויים", "כבר מנוי", "למנויים בלבד", "למנויים",
	"הצטרפו למינוי", "הצטרפו למנוי", "רכשו מינוי", "לרכישת מינוי", "מינוי דיגיטלי", "מנוי דיגיטלי",
	// Ukrainian, Thai
	"оформити передплату", "оформити платну підписку", "станьте передплатником", "для передплатників", "вже маєте передплату",
	"สมัครสมาชิก", "เป็นสมาชิกอยู่แล้ว", "สำหรับสมาชิก", "สมาชิกพรีเมียม",
	// Hindi
	"सब्सक्राइब करें", "सदस्यता लें", "सब्सक्रिप्शन लें", "पहले से सब्सक्राइबर", "सब्सक्राइबर्स के लिए",
	// Vietnamese, Indonesian, Malay, Bulgarian, Serbian, Lithuanian, Latvian, Estonian, Catalan, Persian, Icelandic
	"đăng ký gói", "mua gói hội viên", "trở thành hội viên", "đã là hội viên", "gói hội viên", "dành riêng cho hội viên",
	"berlangganan sekarang", "langganan sekarang", "sudah berlangganan", "sudah menjadi pelanggan", "khusus pelanggan",
	"jadi pelanggan", "menjadi pelanggan", "langgan sekarang", "sudah melanggan", "untuk pelanggan",
	"абонирайте се", "абонирай се", "вече имате абонамент", "вече сте абонат", "за абонати", "дигитален абонамент",
	"претплатите се", "већ сте претплатник", "за претплатнике",
	"prenumeruokite", "užsiprenumeruokite", "jau esate prenumeratorius", "tik prenumeratoriams", "skaitmeninė prenumerata",
	"abonē tagad", "kļūsti par abonentu", "jau esi abonents", "tikai abonentiem", "abonentiem",
	"telli nüüd", "hakka tellijaks", "oled juba tellija", "ainult tellijatele", "tellijatele",
	"subscriu-te", "fes-te subscriptor", "ja ets subscriptor", "per a subscriptors",
	"مشترک شوید", "خرید اشتراک", "اشتراک ویژه", "برای مشترکان",
	"gerast áskrifandi", "gerstu áskrifandi", "kaupa áskrift", "ertu áskrifandi", "fyrir áskrifendur",
	// Slovak, Slovenian, Croatian
	"staňte sa predplatiteľom", "kúpiť predplatné", "už máte predplatné", "pre predplatiteľov", "digitálne predplatné",
	"postanite naročnik", "naročite se", "ste že naročnik", "že naročnik", "za naročnike",
	"postanite pretplatnik", "pretplatite se", "već ste pretplatnik", "za pretplatnike", "digitalna pretplata",
	// Romanian
	"abonează-te", "aboneaza-te", "ai deja abonament", "abonament premium", "abonament digital", "doar pentru abonați",
}

// paidPhrases sell paid access in words a newsletter box shares ("get our
// weekly deep dive in your inbox"): with one, or with a subscription
// phrase and an offer's terms, the block sells, whatever else it offers.
// Substack's widget asking the reader to become "a free or paid
// subscriber" to "support my work" sells its paid plan too: the blind
// pages' writers read it as a prompt each time (50, 84, 126).
var paidPhrases = []string{"paid member", "paying member", "premium member", "abonnement payant", "bezahlabo", "paid subscriber",
	"платним передплатник", "платну підписку", "платным подписчик", "платную подписку"}

// joinWording asks the reader to join a publication for access to it;
// joinStems are in every text it matches.
var (
	joinWording = regexp.MustCompile(`\bjoin\b[^.!?]{1,40}\bto (?:read|access|unlock|continue)\b`)
	joinStems   = []string{"join"}
)

// registerPhrases ask for a free account: a registration prompt, which
// gates like a subscription when it says the story continues.
var registerPhrases = []string{
	"create a free account", "create your free account", "create a free", "create free account", "register for free", "register free", "free registration",
	"kostenlos registrieren", "gratis registrieren", "créer un compte gratuit", "créez votre compte gratuit",
	"inscrivez-vous gratuitement", "regístrate gratis", "crea tu cuenta gratis", "crea una cuenta gratuita",
	"registrate gratis", "crear cuenta gratis", "creá tu cuenta", "crear una cuenta gratis",
	"załóż darmowe konto", "załóż bezpłatne konto", "maak een gratis account", "registreer gratis",
	"registreer je gratis", "registrati gratuitamente", "registrati gratis", "crea un account gratuito",
	"cadastre-se grátis", "cadastre-se gratuitamente", "crie uma conta gratuita", "crie sua conta grátis", "無料会員登録",
	"skapa ett kostnadsfritt konto", "skapa ett gratis konto", "skapa gratiskonto", "zaregistrujte se zdarma", "무료 회원가입", "ücretsiz üye ol",
	"zaregistrujte sa zadarmo", "bezplatná registrácia", "brezplačna registracija", "ustvarite brezplačen račun", "brezplačen račun",
	"besplatna registracija", "registrirajte se besplatno",
	"đăng ký miễn phí", "tạo tài khoản miễn phí", "daftar gratis", "daftar percuma", "регистрирайте се безплатно",
	"безплатна регистрация", "бесплатна регистрација", "registruokitės nemokamai", "nemokama registracija",
	"reģistrējies bez maksas", "bezmaksas reģistrācija", "registreeru tasuta", "loo tasuta konto", "registra't gratis",
	"registra't gratuïtament", "ثبت نام رایگان",
	"opret en gratis konto", "opret gratis konto", "opprett en gratis konto", "luo ilmainen tili", "rekisteröidy ilmaiseksi",
	"δημιουργήστε δωρεάν λογαριασμό", "зарегистрируйтесь бесплатно", "免费注册", "免費註冊", "سجل مجانا", "הירשמו בחינם",
	"зареєструйтеся безкоштовно", "สมัครสมาชิกฟรี", "cont gratuit", "creează-ți gratuit un cont",
	"मुफ़्त रजिस्टर", "मुफ्त रजिस्टर", "मुफ़्त में रजिस्टर", "मुफ्त में रजिस्टर", "निःशुल्क रजिस्टर",
}

// continuePhrases say that the story goes on behind the block, or that it
// is reserved: with access wording they make a wall even without a
// "subscribe" (a registration wall), and at the end of a short text they
// say the text was cut.
var continuePhrases = []string{
	// English
	"continue reading", "keep reading", "keep on reading", "read the full", "read the rest", "rest of this",
	"rest of the story", "rest of the article", "to read this", "to read more", "to access this", "access to this article",
	"access to this story", "finish this story", "finish this article",
	"for subscribers", "subscribers only", "subscriber only", "subscriber-only", "available to subscribers",
	"exclusive to subscribers", "for paid subscribers", "for paying subscribers", "available to members",
	"for members", "members only", "members-only", "unlock this", "unlock the full", "full article",
	"full story", "purchase this article", "buy this article",
	// German
	"weiterlesen", "weiter lesen", "lesen sie weiter", "lesen sie den", "ganzen artikel", "vollständigen artikel",
	"ganzen text", "für abonnenten", "nur für abonnenten", "abonnenten vorbehalten", "für mitglieder",
	"nur für mitglieder", "artikel freischalten", "diesen artikel",
	// French
	"lire la suite", "la suite de cet article", "la suite est réservée", "pour lire la suite", "poursuivre la lecture",
	"continuer à lire", "réservé aux abonnés", "réservée aux abonnés", "réservé aux membres",
	"réservée aux membres", "de cet article à lire", "cet article est réservé",
	// Spanish
	"para seguir leyendo", "para continuar leyendo", "sigue leyendo", "seguir leyendo", "continuar leyendo",
	"exclusivo para suscriptores", "solo para suscriptores", "sólo para suscriptores", "para suscriptores",
	"para socios", "para miembros", "contenido exclusivo", "el resto del artículo",
	// Polish
	"czytaj dalej", "czytaj całość", "przeczytaj cały", "cały artykuł", "dalsza część", "pozostała część",
	"dla prenumeratorów", "dla subskrybentów", "ten artykuł jest dostępny", "aby przeczytać",
	// Dutch
	"lees verder", "verder lezen", "lees het hele artikel", "lees het volledige artikel", "alleen voor abonnees",
	"voor abonnees", "de rest van dit artikel",
	// Italian
	"continua a leggere", "per continuare a leggere", "leggi l'articolo completo", "leggi tutto l'articolo",
	"riservato agli abbonati", "riservata agli abbonati", "solo per gli abbonati", "per gli abbonati",
	// Portuguese
	"continue lendo", "continuar lendo", "para continuar lendo", "leia a matéria completa", "leia o artigo completo",
	"exclusivo para assinantes", "exclusiva para assinantes", "para assinantes",
	// Japanese
	"続きを読む", "続きは", "この記事は有料", "有料会員限定", "会員限定", "購読者限定",
	// Swedish, Czech, Korean, Turkish
	"fortsätt läsa", "läs hela artikeln", "läsa hela artikeln", "läsa vidare", "läs vidare", "för prenumeranter", "resten av artikeln",
	"pokračovat ve čtení", "číst dál", "celý článek", "zbytek článku", "pro předplatitele",
	"pokračovať v čítaní", "celý článok", "pre predplatiteľov", "nadaljujte z branjem", "preberite celoten članek", "za naročnike",
	"dành cho hội viên", "đọc toàn bộ bài viết", "để đọc tiếp", "lanjutkan membaca", "lanjut membaca", "teruskan membaca",
	"khusus pelanggan", "untuk pelanggan", "продължете да четете", "прочетете цялата статия", "само за абонати", "за абонати",
	"наставите да читате", "за претплатнике", "skaitykite toliau", "tik prenumeratoriams", "turpini lasīt", "lasi tālāk",
	"tikai abonentiem", "loe edasi", "jätka lugemist", "ainult tellijatele", "continua llegint", "per a subscriptors",
	"برای مشترکان", "lesa áfram", "haltu áfram að lesa", "fyrir áskrifendur",
	"nastavite čitati", "pročitajte cijeli članak", "za pretplatnike",
	"계속 읽기", "전체 기사", "기사 전문", "구독자 전용", "회원 전용", "devamını oku", "okumaya devam", "haberin devamı", "abonelere özel",
	// Danish, Norwegian, Finnish
	"læs videre", "læs hele artiklen", "for abonnenter", "les videre", "les hele saken", "les hele artikkelen",
	"denne artikkelen er for abonnenter", "jatka lukemista", "lue koko juttu", "lue koko artikkeli", "tilaajille",
	// Greek, Russian
	"συνέχεια ανάγνωσης", "συνεχίστε την ανάγνωση", "για συνδρομητές", "продолжить чтение", "читать полностью",
	"читать далее", "для подписчиков",
	// Chinese, Arabic, Hebrew
	"继续阅读", "阅读全文", "繼續閱讀", "閱讀全文", "会员专享", "會員專享", "解鎖全文", "解锁全文", "訂戶專屬", "订户专属", "أكمل القراءة", "تابع القراءة", "لمواصلة القراءة",
	"للمشتركين", "להמשך קריאה", "המשך קריאה", "למנויים בלבד",
	// Ukrainian, Thai
	"читати далі", "продовжити читання", "для передплатників", "อ่านต่อ", "สำหรับสมาชิก", "อ่านฉบับเต็ม",
	"för att läsa hela", "för att läsa vidare", "आगे पढ़ें", "पूरा लेख पढ़ें", "सब्सक्राइबर्स के लिए",
	"account to continue", "log in to continue", "sign in to continue",
	"citește mai departe", "pentru a citi", "disponibil doar", "doar pentru abonați",
}

// accessStems and accessBounded name what a wall sells or asks for: a
// subscription, an account, a membership, a login, a trial, a price.
var (
	accessStems = newLiterals([]string{"subscri", "abonn", "suscri", "member", "mitglied", "membre", "miembro",
		"regist", "account", "konto", "einlogg", "anmelden", "connecter", "connexion", "inicia sesión",
		"trial", "testen", "unlimited", "unbegrenzt", "illimité", "ilimitado", "sin límites",
		"prenumerat", "subskryp", "zaloguj", "bez ograniczeń", "nieograniczony", "購読", "会員", "ログイン",
		"abbonat", "abbonament", "assinatura", "assinante", "onbeperkt", "illimitat", "inloggen", "accedi",
		"prenumer", "logga in", "předplat", "predplat", "naročni", "pretplat", "registracij", "registrácia", "přihlás",
		"hội viên", "thuê bao", "langgan", "pelanggan", "абонам", "абонат", "претплат", "abonē", "abonent", "tellija",
		"tellimus", "اشتراک", "مشترک", "áskrif", "구독", "로그인", "abone", "giriş yap", "abonnent", "log ind", "logg inn",
		"tilaa", "kirjaudu", "συνδρομ", "σύνδεση", "подписк", "подписч", "войти", "订阅", "訂閱", "会员", "會員", "登录", "登入",
		"اشتر", "تسجيل الدخول", "מנוי", "מינוי", "התחבר", "передплат", "увійти", "สมาชิก", "เข้าสู่ระบบ",
		"सब्सक्राइब", "सदस्यता", "लॉग इन", "रजिस्टर", "abonam", "autentific",
		"€", "£", "¢", "₺", "₩", "₹", "₪"})
	accessBounded = regexp.MustCompile(`\$|\babo\b|\babo-|\bsocio|\bcompte\b|\bcuenta\b|log ?in\b|sign ?in\b|\bessai\b|\bprueba\b|` +
		`\bpremium\b|\bcont\b|\beuros?\b|\beur\b|\bchf\b|\bcents?\b|\bzł\b|\bkr\b|\bkč\b`)
)

// accessWorded reports whether normalised text names what a wall sells
// or asks for (accessStems, and accessBounded for the words that must
// stand alone): one literal pass, and an expression of a few words, where
// one expression of every word cost 2.4% of parse CPU on trafilatura-dev.
func accessWorded(low string) bool { return accessStems.in(low) || accessBounded.MatchString(low) }

// offerWording matches the terms of an offer: a price with a period or a
// cancellation clause ("1 € par mois", "9,99 € im Monat, jederzeit
// kündbar", "$2 a week"). An offer line belongs to a call to action, but
// alone it is not one: stories quote prices too.
var offerWording = regexp.MustCompile(`(?:[$€£¢₺₩₹₪]\s?\d|\d(?:[.,]\d+)?\s?(?:[$€£¢₺₩₹₪円원]|euros?|eur\b|chf\b|lei\b|cents?|pence|zł|kr\b|kč|tl\b)).{0,40}` +
	`(?:\b(?:a|per|/|each) ?(?:week|month|year)|im monat|pro monat|/ ?monat|pro woche|monatlich|pro jahr|im jahr|/ ?jahr|jährlich|` +
	`par mois|/mois|par semaine|par an\b|/ ?an\b|al año|por año|/ ?año|all'anno|/ ?anno\b|per jaar|per år|/ ?år\b|rocznie|ročně|` +
	`al mes|por mes|a la semana|premier mois|primer mes|ersten monat|first month|kündbar|cancel anytime|` +
	`per maand|eerste maand|per week|al mese|primo mese|por mês|primeiro mês|` +
	`miesięcznie|za miesiąc|/mies|pierwszy miesiąc|/mån|i månaden|per månad|första månaden|měsíčně|za měsíc|` +
	`první měsíc|pe lună|mesačne|na mesec|mesečno|mjesečno|/tháng|mỗi tháng|/bulan|per bulan|sebulan|на месец|/месец|месечно|` +
	`per mėnesį|/mėn|mēnesī|/mēn|/kuu|kuutasu|ماهانه|در ماه|á mánuði|` +
	`/ay\b|aylık|ayda|/월|/月|/kk\b|kuukaudessa|ensimmäinen kuukausi|om måneden|pr\.? md|/md\b|første måned|` +
	`i måneden|per måned|/μήνα|το μήνα|в месяц|/мес|первый месяц|每月|/年|／月|／年|شهريا|في الشهر|לחודש|प्रति माह|/माह|` +
	`sans engagement|sin compromiso|sin permanencia)|(?:月額|毎月|월|매월|aylık)\s?\d[\d,.]*\s?(?:円|원|tl\b|₺)`)

// priceWording matches a price: "$79", "19,90 €", "9 zł".
var priceWording = regexp.MustCompile(`[$€£¢₺₩₹₪]\s?\d|\d(?:[.,]\d+)?\s?(?:[$€£¢₺₩₹₪円원]|euros?\b|eur\b|chf\b|zł|kr\b|kč)`)

// subscribeListed reports whether normalised text holds a subscribe phrase.
func subscribeListed(low string) bool { return askLists.which(low)&inSubscribe != 0 }

// subscriptionStems name a subscription in the languages of the phrase
// lists. With an offer's terms they sell one, though no phrase does:
// "Become a Current subscriber for $5 a month", a Substack box pricing
// its paid plans beside its e-mail field.
var (
	subscriptionStemList = []string{"subscri", "abonn", "abo-", "jahresabo", "monatsabo", "digitalabo", "probeabo", "suscri", "prenumer", "subskry", "abbona", "abbonam",
		"assinatura", "assinante", "購読", "구독", "předplat", "abone", "tilaa", "tilaus", "συνδρομ", "подписк", "订阅", "訂閱",
		"predplat", "naročni", "pretplat", "hội viên", "thuê bao", "langgan", "pelanggan", "абонам", "абонат", "претплат",
		"abonē", "abonent", "tellija", "tellimus", "اشتراک", "مشترک", "áskrif", "اشتراك", "اشترك", "מנוי", "מינוי", "передплат", "підписк", "สมาชิก", "सब्सक्राइब", "सदस्यता", "सब्सक्रिप्शन", "abonam"}
	subscriptionStems = newLiterals(subscriptionStemList)
)

// sellsByTerms reports whether normalised text names a subscription and
// an offer's terms.
func sellsByTerms(low string) bool { return subscriptionStems.in(low) && offerWording.MatchString(low) }

// eventStems and eventTime mark a box that sells a seat at an event: an
// event's name and its time of day or weekday.
var (
	eventStems = []string{"event", "veranstaltung", "webinar", "konferenz", "conferen", "conférence", "tagung", "meetup",
		"workshop", "ticket", "rsvp", "événement", "evento", "evenement", "wydarzen", "konferencj", "seminar",
		"evenemang", "akce", "イベント", "セミナー", "행사", "etkinlik"}
	eventTime = regexp.MustCompile(`\b\d{1,2}(?:[:.]\d{2})?\s?(?:uhr\b|h\b|am\b|pm\b|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|` +
		`\d{1,2}時|\d{1,2}시|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|` +
		`donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|` +
		`miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|venerdì)\b`)
)

// meterWording matches a meter's count of free articles in English,
// German, French, Spanish, Polish and Japanese. Its parts are tried only when their stems
// are in the text (see stemRules), which is normalised: the stems of the
// first part span the single space normalise leaves where it says \s+.
var meterWording = newStemRules(
	rule([]string{"free article", "free stor", "free read", "free piece", "free view"}, `\b(?:\d+|one|two|three|four|five|no|all|all your|your)\s+(?:more\s+)?free\s+(?:articles?|stories|story|reads?|pieces?|views?)\b|`+
		`free (?:articles?|stories|story|reads?) (?:left|remaining|this month|per month|a month)|`+
		`(?:last|final) free (?:article|story|read)|free (?:article|story) limit`),
	rule([]string{"limit", "free"}, `(?:reached|hit|used up|used) (?:your|the|all (?:of )?your) (?:\w+ ){0,2}(?:limit|free articles?)`),
	rule([]string{"d 0", "d 1", "d 2", "d 3", "d 4", "d 5", "d 6", "d 7", "d 8", "d 9"},
		`(?:read|viewed|used) \d+ (?:of|out of) (?:your )?\d+ (?:free )?(?:articles?|stories)`),
	// German
	rule([]string{"kostenlos", "freie", "gratis"}, `(?:kostenlose|freie|gratis)[nrms]? (?:artikel|beiträge|texte)|gratis-?artikel|`+
		`noch (?:\d+|einen|ein|zwei|drei)(?: von \d+)? (?:kostenlose|freie|gratis)`),
	// French
	rule([]string{"gratu", "offert"}, `articles? (?:gratuits?|offerts?)|(?:dernier|derniers) articles? (?:gratuits?|offerts?)`),
	rule([]string{"il vous reste"}, `il vous reste (?:\d+|un|une|deux|trois) articles?`),
	// Spanish
	rule([]string{"gratis", "gratu"}, `(?:artículos?|noticias?|contenidos?|historias?) (?:gratis|gratuit[oa]s?)`),
	rule([]string{"queda"}, `(?:te|le) quedan? (?:\d+|un|una|dos|tres) (?:artículos?|noticias?|contenidos?)`),
	rule([]string{"has leído", "has consumido", "has agotado"}, `has (?:leído|consumido|agotado) (?:\d+|tus|todos)`),
	// Italian, Portuguese (Dutch "gratis artikelen" is the German rule's)
	rule([]string{"articol"}, `articol[oi] \d+ di \d+ (?:gratuit|gratis)`),
	rule([]string{"gratuit", "grátis", "gratis"}, `articoli (?:gratuiti|gratis)|(?:artigos?|matérias?|notícias?|reportage(?:m|ns)|textos?|conteúdos?) (?:gratuit[oa]s?|grátis|gratis)`),
	rule([]string{"você leu", "voce leu"}, `voc[êe] (?:já )?leu \d+ de \d+`),
	// Polish
	rule([]string{"darmow", "bezpłatn"}, `(?:darmow|bezpłatn)(?:ych|e|y|ego) (?:artykuł|tekst)|(?:artykuł|tekst)(?:ów|y) (?:darmow|bezpłatn)`),
	rule([]string{"przeczytał"}, `przeczytał(?:eś|aś|eś\(aś\))? \d+ (?:z|na) \d+`),
	// Japanese
	rule([]string{"無料"}, `無料(?:記事|で読める記事)|残り\d+本`),
	// Swedish, Czech, Korean, Turkish
	rule([]string{"gratis"}, `gratis ?artiklar`),
	rule([]string{"zdarma"}, `(?:článk[uůy]|článek) zdarma|zdarma (?:článk|přečíst)`),
	rule([]string{"무료"}, `무료 ?기사[^.]{0,12}\d|\d+ ?(?:건|편|개(?:[^월]|$))[^.]{0,6}무료`),
	rule([]string{"ücretsiz"}, `ücretsiz (?:haber|makale|içerik)`),
	// Vietnamese, Indonesian and Malay, Bulgarian, Lithuanian, Latvian, Estonian, Catalan
	rule([]string{"miễn phí"}, `bài (?:viết )?miễn phí`),
	rule([]string{"gratis", "percuma"}, `artikel (?:gratis|percuma)`),
	rule([]string{"безплатн"}, `безплатн(?:и|а|ата)? статии|статии безплатно`),
	rule([]string{"nemokam", "bezmaksas", "tasuta"}, `nemokam(?:i|ų) straipsni|bezmaksas rakst|tasuta artik`),
	rule([]string{"gratuït"}, `articles? gratuïts?`),
	// Danish, Norwegian, Finnish (Danish and Norwegian "gratis artikler" share the Swedish stem)
	rule([]string{"gratis"}, `gratis ?artikler`),
	rule([]string{"ilmai"}, `ilmais(?:ta|ia|en) (?:artikkeli|juttu)`),
	// Greek, Russian, Chinese, Arabic, Hebrew
	rule([]string{"δωρεάν"}, `δωρεάν άρθρ`),
	rule([]string{"бесплатн"}, `бесплатн(?:ых|ые|ая|ой|ую) (?:стат|материал)`),
	rule([]string{"безкоштовн"}, `безкоштовн(?:их|і|а|ої|у) (?:стат|матеріал)`),
	rule([]string{"ฟรี"}, `บทความฟรี`),
	rule([]string{"मुफ्त"}, `मुफ्त (?:लेख|खबर)`),
	// "免費閱讀" alone is a free site's boast ("所有報道免費閱讀"): a meter counts.
	rule([]string{"免费", "免費"}, `免[费費]文章|免[费費](?:阅读|閱讀)[^。，,]{0,10}\d|\d+ ?篇[^。]{0,6}免[费費]|篇免[费費]`),
	rule([]string{"مجاني"}, `مقالات? مجاني`),
	rule([]string{"رایگان"}, `(?:مطلب|مقاله|خبر)(?:\x{200c}?های)? رایگان`),
	rule([]string{"חינם"}, `כתבות חינם|כתבות בחינם`),
)

// meterStems are in every text that meterWording matches but for its
// count of articles read ("read 3 of 5 articles"): a cheap test before the
// expressions.
var meterStems = []string{"free", "kostenlos", "freie", "gratu", "gratis", "grátis", "offert", "il vous reste", "queda",
	"has leído", "has consumido", "has agotado", "limit", "darmow", "bezpłatn", "przeczytał", "無料", "zdarma", "무료", "ücretsiz",
	"ilmai", "δωρεάν", "бесплатн", "безплатн", "miễn phí", "percuma", "nemokam", "bezmaksas", "tasuta", "gratuït", "免费", "免費", "مجاني", "رایگان", "חינם", "безкоштовн", "ฟรี", "você leu", "voce leu", "मुफ्त", "articol"}

// signupWords mark a newsletter or e-mail sign-up; a box so worded must
// also hold a form field or say newsletter (signupNames), since "said in
// an email" and "sign up for an account" are story prose.
var signupWords = []string{"newsletter", "sign up", "sign-up", "signup", "inbox", "e-mail", "email", "postfach",
	"lettre d'information", "infolettre", "boletín", "receive new posts", "new posts", "bản tin", "đăng ký",
	"zapisz się", "skrzynk", "nieuwsbrief", "nyhetsbrev", "nyhedsbrev", "iscriviti"}

// signupNames say newsletter outright.
var signupNameList = []string{"newsletter", "inbox", "postfach", "lettre d'information", "infolettre", "boletín", "new posts", "bản tin",
	"skrzynk", "nieuwsbrief", "nyhetsbrev", "nyhedsbrev"}

// appealWords ask for money that buys nothing: donations and supporting
// memberships (a membership that unlocks the story says so with a
// continuePhrase). They are phrased as asks, as "contribute" and
// "unterstützt" alone are everyday words of news prose.
var appealWords = newStemRules(
	rule([]string{"dona"}, `\bdonate\b|\b(?:consider|by|start|try) donating\b|(?:a|one-off|monthly|your) donation|\bdonations?\b (?:today|now)|`+
		`\bdona\b|haz una donación|donación|donativo`),
	rule([]string{"contribut"}, `make a contribution|contribute (?:today|now)`),
	rule([]string{"chip in"}, `\bchip in\b`),
	rule([]string{"spende"}, `\bspenden sie\b|jetzt spenden|\bspende\b`),
	rule([]string{"un don"}, `faites un don|faire un don|\bun don\b`),
	rule([]string{"je soutiens", "payez ce que", "prix libre"}, `je soutiens|payez ce que vous voulez|prix libre`),
	rule([]string{"support us", "support our", "support independent", "support local", "become a supporter"},
		`\bsupport (?:us|our|independent|local)\b|become a supporter`),
	rule([]string{"unterstütz"}, `unterstützen sie (?:uns|unsere)|unterstütze (?:uns|unsere)`),
	rule([]string{"souten"}, `soutenez`),
	rule([]string{"apóy"}, `\bapóyanos\b`),
	rule([]string{"apoy"}, `apoya (?:nuestro|el periodismo)`),
	rule([]string{"wesprzyj", "wspieraj", "wpłać", "darowizn", "wpłat"},
		`wesprzyj (?:nas|naszą|nasze|niezależn)|wspieraj (?:nas|niezależn)|wpłać|darowizn|(?:każda|twoja|regularna|jednorazowa) wpłat`),
	rule([]string{"doneer", "steun"}, `\bdoneer\b|doneer nu|steun (?:ons|onze|de redactie|onafhankelijke)`),
	rule([]string{"sostien", "donazion"}, `sostienici|sostieni (?:il|la|l'|questo|questa|un)|fai una donazione|\buna donazione\b`),
	rule([]string{"apoi", "doaç", "doe "}, `\bapoie\b|apoie o|faça uma doação|\bdoe agora\b|sua doação|torne-se apoiante|seja apoiante|quero apoiar`),
	rule([]string{"寄付", "支援"}, `寄付(?:する|をお願い)|ご支援`),
	rule([]string{"consider supporting", "contribution"}, `consider supporting|(?:with|make|making) a (?:\w+ )?contribution`),
	rule([]string{"støt", "lahjoit", "tue "}, `støt (?:os|vores|uafhængig)|støtt (?:oss|vår|uavhengig)|\blahjoita\b|tue (?:meitä|journalismia)`),
	rule([]string{"δωρε", "στηρίξτε"}, `κάντε (?:μια )?δωρεά|στηρίξτε`),
	rule([]string{"пожертв", "поддержите"}, `пожертвова|поддержите`),
	rule([]string{"підтрима", "донат", "пожертв"}, `підтримайте|підтримати донатом|задонат|пожертвуйте`),
	rule([]string{"捐", "支持我们", "支持我們", "定期定額", "贊助我們"}, `捐款|捐助|支持我们|支持我們|定期定額|贊助我們`),
	rule([]string{"تبر", "ادعم"}, `تبر\x{0651}?ع|ادعم`),
	rule([]string{"תרמו", "תרומה"}, `תרמו|תרומה`),
	rule([]string{"member", "patron"}, `become a (?:\w+ ){0,2}(?:member|patron)`),
	rule([]string{"give now", "give today", "give monthly"}, `\bgive (?:now|today|monthly)\b`),
	rule([]string{"join", "help pay for", "help us pay for"}, `\bjoin\b[^.!?]{1,60}\bfor [$€£₹]\s?\d|\bjoin to (?:back|support|fund)\b|\bhelp (?:us )?pay for\b`),
	rule([]string{"word lid", "word nu lid"}, `\bword (?:nu )?lid\b`),
	rule([]string{"destek", "bağış"}, `destekçi ol|destek ol|bağış yap`),
	rule([]string{"साथ दें", "सहयोग करें", "दान करें"}, `साथ दें|सहयोग करें|दान करें`),
	rule([]string{"후원"}, `후원하기|정기후원|후원 ?회원`),
	rule([]string{"támogas", "támogatom", "támogatón"}, `támogasd|támogassa|támogatom|támogatónk`),
	rule([]string{"donează", "doneaza", "susține", "devino"}, `donează|doneaza|susține-ne|susține (?:jurnalismul|presa)|devino (?:abonat|susținător|membru)`),
	rule([]string{"mitglied"}, `mitglied werden|werde mitglied|werden sie mitglied`),
	rule([]string{"ủng hộ", "quyên góp"}, `ủng hộ (?:chúng tôi|tòa soạn|báo)|quyên góp`),
	rule([]string{"dukung", "donasi", "sokong", "derma"}, `dukung (?:kami|jurnalisme)|berdonasi|donasi sekarang|sokong kami|menderma`),
	rule([]string{"подкрепете", "дарете", "дарение", "подржите"}, `подкрепете (?:ни|независим|журналистика)|дарете|направете дарение|подржите нас`),
	rule([]string{"paremk", "atbalsti", "ziedo", "toeta"}, `paremkite (?:mus|nepriklausom)|atbalsti (?:mūs|neatkarīg)|\bziedo\b|toeta (?:meid|ajakirjandust)`),
	rule([]string{"aportación", "apoya cada mes"}, `haz una aportación|apoya cada mes`),
	rule([]string{"bidrag", "stöd "}, `\bge ett bidrag\b|\bstöd (?:oss|vår journalistik|granskande|oberoende)\b`),
	rule([]string{"členem", "členom", "podpořte", "podporte", "přispějte", "prispejte"}, `staňte se členem|staňte sa členom|podpořte nás|podporte nás|přispějte|prispejte`),
	rule([]string{"donatiu", "suport", "fes-te", "aportació"}, `fes un donatiu|d[oó]na suport|fes-te(?:'n)? soci|fes una aportació|aportació puntual`),
	rule([]string{"حمایت"}, `از ما حمایت کنید|حمایت مالی`),
	rule([]string{"membre"}, `devenir membre|devenez membre`),
	rule([]string{"socio", "miembro", "mecenas"}, `hazte (?:socio|miembro|mecenas)|hágase (?:socio|miembro|mecenas)`),
)

// givingWords say that an appeal asks the reader to give: a donation, or
// a membership "to support" the newsroom rather than to read.
var givingWords = regexp.MustCompile(`donat|spende|\bun don\b|doneer|darowizn|wpłat|寄付|donazion|doaç|chip in|` +
	`pour soutenir|to support (?:our|us|independent|local)|zu unterstützen|para apoyar|per sostenere|para apoiar|apoiante|` +
	`aby wesprzeć|om te steunen|support my work|consider supporting|لدعم|чтобы поддержать`)

// consentWords mark cookie and consent layers, including pay-or-consent
// ones ("weiterlesen mit Werbung oder Pur-Abo").
var consentWords = regexp.MustCompile(`cookie|\bconsent\b|einwillig|datenschutzeinstellung|privacy settings|` +
	`consentement|consentimiento|ad ?-?blocker|adblock|werbeblocker|bloqueur de pub`)

// commentWords mark gates on the comments. Singular "comment" is left out:
// "declined to comment" is in every other story (and French "comment"
// means "how").
var commentWords = regexp.MustCompile(`\bcomments\b|\bcommenting\b|\bcommenters?\b|comment (?:section|thread)|` +
	`(?:leave|post|add|write) a comment|commentaires|kommentar|kommentieren|comentarios\b|` +
	`join the (?:conversation|discussion)|\bum (?:zu )?posten\b|\bzum posten\b|an (?:einer|der) diskussion (?:zu )?beteiligen`)

// commentStems and consentStems are in every text the expressions of the
// same name match (but for "kommentieren", which none of commentStems
// holds: a text must hold another to be read as a comment gate), and
// appealStems, derived from appealWords' rules, in every appeal. The
// consent stems, and commentWordStems, which every match of commentWords
// holds, are as long as the expressions allow: "declined to comment" and
// "privacy policy" are everyday words that need no expression run.
var (
	commentStems     = []string{"comment", "kommentar", "comentar", "join the", "posten", "diskussion"}
	commentWordStems = []string{"comments", "commenting", "commenter", "comment section", "comment thread", "a comment",
		"commentaires", "kommentar", "kommentier", "comentarios", "join the conversation", "join the discussion", "posten", "diskussion"}
	consentStems = []string{"cookie", "consent", "einwillig", "datenschutzeinstellung", "privacy settings", "blocker", "adblock", "bloqueur de pub"}
	appealStems  = appealWords.stemList()
)

// askStems are in every text that classifyAsk can give an ask, with the
// stems of appealWords and meterWording (askStemSet adds them): a cheap
// test that spares the phrase lists almost every block of a page.
var askStems = []string{
	"subscri", "abo", "suscr", "testen", "rest of", "resto", "full", "article", "artículo", "ganzen text", "réserv",
	"exclusiv", "lettre", "read", "unlock", "unlimited", "lesen", "freischalten", "lire", "lecture", "leyendo",
	"newsletter", "sign", "inbox", "mail", "regist", "account", "cookie", "consent", "einwillig", "blocker", "adblock",
	"bloqueur", "comment", "kommentar", "support", "boletín", "postfach", "reste", "artikel", "suite", "posts", "trial",
	"access", "prenumer", "subskryb", "subskryp", "dostęp", "przeczytać", "czytaj", "artykuł", "dalsza", "pozostała",
	"zarejestruj", "załóż", "購読", "会員", "続き", "有料", "regístrate", "crea tu", "crea una", "créez", "créer un",
	"inscrivez", "abonnee", "abonnement", "onbeperkt", "lees", "lezen", "registreer", "abbon", "leggere", "leggi",
	"registrati", "assin", "lendo", "leia", "cadastre", "crie", "läs", "logga in", "skapa", "zaregistr", "회원가입",
	"üye ol", "předplat", "předplať", "číst", "회원", "읽기", "článek", "článku", "čtení", "구독", "기사", "로그인", "abone",
	"devam", "abonnent", "opret", "opprett", "videre", "les hele", "læs", "tilaa", "lue ", "jatka", "rekisteröidy",
	"luo ilmainen", "συνδρομ", "ανάγνωσ", "δημιουργήστε", "подпис", "чтени", "читать", "зарегистр", "订阅", "訂閱", "会员",
	"會員", "阅读", "閱讀", "注册", "註冊", "اشتر", "مشترك", "القراءة", "سجل", "מנוי", "מינוי", "קריאה", "הירשמו", "передплат", "підпис",
	"читати", "читання", "зареєстр", "สมาชิก", "อ่าน", "finish this", "abona", "citește", "pentru a citi", "posten",
	"disponibil", "cont gratuit", "creează", "to continue", "diskussion", "訂戶", "订户", "解鎖", "解锁", "hội viên", "đăng ký", "bản tin", "đọc", "gói", "langgan", "pelanggan", "membaca", "абонам", "абонат", "абонир",
	"претплат", "четете", "читате", "tellij", "telli ", "مشترک", "اشتراک", "áskrif", "lesa", "toliau", "lasīt", "tālāk", "edasi", "lugemist", "llegint", "reģistr", "ثبت نام", "cuenta", "naroči", "článok", "predplat", "naročni", "pretplat",
	"registrácia", "registracija", "brezplačen", "čítan", "članek", "članak", "branjem", "čitati", "सब्सक्राइब", "सदस्यता", "सब्सक्रिप्शन", "पढ़ें", "रजिस्टर",
	"zapisz", "skrzynk", "nieuwsbrief", "nyhetsbrev", "nyhedsbrev", "iscriviti"}

// mayAsk reports whether normalised text could hold any ask wording.
func mayAsk(low string) bool { return askStemSet.in(low) }

// The word lists as literals sets, for the hot path.
var (
	askStemSet  = newLiterals(askStems, appealStems, meterStems)
	signupNames = newLiterals(signupNameList)
)

// askLists are the lists classifyAsking reads, as one literals: one pass
// over the text tells which lists it holds (the in* bits), where one
// literals per list made eleven passes. It pays, with stemRules' one pass:
// with a literals per list and per rule, the whole parse took 1% more CPU
// (BenchmarkExtraction/newsdesk, 590 against 585 cpu-ms/op, medians of 6
// interleaved runs, command as for literals). TestClassifyMatchesReference
// holds it against the plain lists.
var askLists = newLiterals(continuePhrases, subscribePhrases, commentStems, consentStems, meterStems, paidPhrases,
	joinStems, registerPhrases, signupWords, appealStems, commentWordStems, eventStems)

// The bits of askLists.which, one per list, in its order.
const (
	inContinue uint64 = 1 << iota
	inSubscribe
	inComment
	inConsent
	inMeter
	inPaid
	inJoin
	inRegister
	inSignup
	inAppeal
	inCommentWords
	inEvent
)

// classifyAsk reads what a block's text asks for, and whether it says the
// story continues behind it. The order matters: a comment gate says "for
// subscribers" too, a consent layer may sell a "Pur-Abo", a meter banner
// says "subscribe", and a wall may offer an e-mail login; so the narrow
// readings come first.
func classifyAsk(text string) (a ask, continues bool) {
	return classifyNormalised(normalise(text))
}

// classifyNormalised is classifyAsk of the text whose normalise is low.
func classifyNormalised(low string) (a ask, continues bool) {
	if low == "" || !mayAsk(low) {
		return noAsk, false
	}
	return classifyAsking(low)
}

// dismissal matches the button that closes a prompt, "No thanks, continue
// reading": its continue wording says the story is there, not behind the
// prompt. dismissalStems are in every text it matches.
var (
	dismissal = regexp.MustCompile(`(?:no,? thanks|not now|maybe later|nej,? tack|nej,? tak|nei,? takk|nein,? danke|` +
		`non,? merci|no,? gracias|nee,? bedankt|no,? grazie|nie,? dziękuję|não,? obrigad[oa]|ei kiitos)[^.!?]{0,40}`)
	dismissalStems = newLiterals([]string{"thanks", "not now", "maybe later", "tack", "tak", "takk", "danke", "merci",
		"gracias", "bedankt", "grazie", "dziękuję", "obrigad", "kiitos"})
)

// reservedFor and alreadyA match the reserved-for and already-a phrases
// of continuePhrases and subscribePhrases with a product's name inside.
var (
	reservedFor = regexp.MustCompile(`\b(?:exclusive to|reserved for|only for|available to) (?:\S+ ){1,3}(?:subscribers|members)\b|` +
		`\bexklusiv für (?:\S+ ){0,2}\S*abonnent`)
	alreadyA = regexp.MustCompile(`\balready an? (?:\S+ ){1,2}(?:subscriber|member)\b|\b(?:bereits|schon) (?:\S+ ){0,2}\S*abonnent`)
	// readOnWith is German's "Mit top+ weiterlesen", "Mit SZ Plus
	// weiterlesen": read on with the product, a wall's heading.
	readOnWith = regexp.MustCompile(`(?:^|\s)mit (?:\S+ ){1,3}weiterlesen\b`)
)

// freeAccount matches an offer of a free account by any name: "a free
// Touchline account", Vietnamese "tạo tài khoản Nhịp Số miễn phí".
var freeAccount = regexp.MustCompile(`(?:^|[\s(])free (?:\S+ ){0,2}account\b|tạo tài khoản (?:\S+ ){0,3}miễn phí`)

// dropDismissals is low without its dismissal buttons' words.
func dropDismissals(low string) string {
	if !dismissalStems.in(low) {
		return low
	}
	return dismissal.ReplaceAllString(low, " ")
}

// classifyAsking is classifyNormalised of a text that mayAsk.
func classifyAsking(low string) (a ask, continues bool) {
	in := askLists.which(low)
	continues = in&inContinue != 0
	if continues && dismissalStems.in(low) {
		continues = askLists.which(dropDismissals(low))&inContinue != 0
	}
	subscribe := in&inSubscribe != 0
	if (!continues || !subscribe) && (strings.Contains(low, "subscri") || strings.Contains(low, "member") || strings.Contains(low, "abonnent")) {
		// "Exclusive to Pro Technology subscribers", "Already a Pro
		// subscriber?", "Exklusiv für HA+-Abonnenten": the phrases with
		// the product's name inside.
		continues = continues || reservedFor.MatchString(low)
		subscribe = subscribe || alreadyA.MatchString(low)
	}
	if !(continues && subscribe) && strings.Contains(low, "weiterlesen") && readOnWith.MatchString(low) {
		continues, subscribe = true, true
	}
	switch {
	case in&inComment != 0 && in&inCommentWords != 0 && commentWords.MatchString(low):
		return commentsAsk, false
	case in&inConsent != 0 && consentWords.MatchString(low):
		return consentAsk, false
	case in&inEvent != 0 && eventTime.MatchString(low):
		return eventAsk, false
	case in&inMeter != 0 && meterWording.match(low):
		return meterAsk, continues
	case continues && (subscribe || accessWorded(low)):
		return subscribeAsk, true
	case in&inPaid != 0 || in&inSignup != 0 && (subscribe || subscriptionStems.in(low)) && offerWording.MatchString(low):
		// "Subscribe for $1 a week and get our morning newsletter" sells;
		// without the newsletter words, the subscribe case below has it.
		return subscribeAsk, continues
	case in&inJoin != 0 && joinWording.MatchString(low):
		// "Join Bedside Review to read our investigations" sells a membership.
		return subscribeAsk, continues
	case in&inRegister != 0:
		// A free account is access too, newsletter or not.
		return subscribeAsk, continues
	case in&inSignup != 0 && freeAccount.MatchString(low):
		// "Sign up for a free Touchline account": an account, not a
		// newsletter.
		return subscribeAsk, continues
	case in&inSignup != 0 && in&inAppeal != 0 && priceWording.MatchString(low) && appealWords.match(low):
		// "Hazte socio desde 4 € al mes", the newsletter among its perks:
		// a priced membership ask, not a free sign-up.
		return appealAsk, false
	case in&inSignup != 0:
		return signupAsk, false
	case subscribe:
		// "Support us: subscribe from £1 a week" sells a subscription.
		return subscribeAsk, continues
	case in&inAppeal != 0 && appealWords.match(low):
		return appealAsk, false
	}
	return noAsk, false
}
