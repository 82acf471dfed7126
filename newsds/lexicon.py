"""The claims extractor's word lists: reporting verbs and nouns by stance, multi-word cues, and the word
classes the noun-phrase and clause rules stop at.

Why a module of its own: the lists grow with every error class found on the training gold, and the rules
in `newsds.claims` read better without them. Changing a list changes the output: bump
`newsds.claims.RULESET_VERSION`.
"""

from __future__ import annotations

import re

from newsds.vocabulary import STANCES

# --- Lexicons: one word list per name; an indented line continues the list above. -----------------
LEXICON = """
# Reporting verbs, by the stance they express.
assert_verbs: say says said saying tells told telling claim claims claimed claiming note notes noted
  noting insist insists insisted insisting warn warns warned warning condemn condemns condemned condemning
  stated stating add adds added adding argue argues argued arguing assert asserts asserted asserting allege
  alleges alleged alleging reports reported reporting announce announces announced explains
  explained explaining suggest suggests suggested suggesting admit admits admitted acknowledge acknowledges
  acknowledged acknowledging confirm confirms confirmed confirming emphasize emphasizes emphasized emphasizing
  emphasise emphasises emphasised emphasising stresses stressed stressing write writes wrote writing
  ask asks asked asking reiterate reiterates reiterated reiterating contend contends contended contending
  maintain maintains maintained maintaining believes accuse accuses accused accusing express
  expresses expressed expressing declare declares declared declaring reveal reveals revealed concede concedes
  conceded conceding mention mentions mentioned mentioning affirm affirms affirmed predict predicts predicted
  predicting promise promises promised promising vow vows vowed vowing recall recalls recalled respond
  responds responded reply replies replied replying tweet tweets tweeted tweeting testify testifies
  testified testifying denounce denounces denounced criticize criticizes criticized criticizing criticise
  criticises criticised criticising cite cites cited urge urges urged urging describe describes described
  describing pledge pledges pledged pledging agree agrees agreed indicate indicates indicated finds found
  continue continues continued demand demands demanded demanding propose proposes proposed proposing recommend
  recommends recommended recommending praise praises praised praising blast blasts blasted blasting slam slams
  slammed slamming think thinks thought believe believed know knows knew hope
  show shows showed endorses endorsed endorsing supported backed backing defend
  defends defended defending opposed prefer prefers preferred seeks sought thank thanks thanked thanking
  mock mocks mocked mocking highlight highlights highlighted highlighting discuss discusses discussed
  discussing refuses refused refusing declines declined declining expected estimate estimates
  estimated conclude concludes concluded joke jokes joked joking acknowledged lament laments lamented
  complain complains complained boast boasts boasted
  citing refers referred referring offered hopes hoped hoping posted named talked seem seems seemed
  appears appeared fear blame blames blamed blaming decry decries decried echo echoed echoing assured assures
  reminded reminding charged announcing recalling denouncing issued learned considered worried insists
  believing acknowledging conceding
deny_verbs: deny denies denied refute refutes refuted refuting dismiss dismisses dismissed dismissing
  reject rejects rejected rejecting dispute disputes disputed disputing countered countering rebut rebuts
  rebutted rebutting contradict contradicts contradicted contradicting repudiate repudiates repudiated
doubt_verbs: questions questioned questioning doubt doubts doubted doubting challenges challenged
# Forms as often nouns or adjectives ("the claims", "an alleged attack"): cues only after a subject.
ambiguous: claim claims report reports note notes question questions doubt doubts challenge challenges dispute
  disputes warning promise promises vow vows tweet tweets reply replies recall recalls saying reporting
  stresses alleged reported disputed demand demands pledge pledges praise call calls point points cast casts
  show shows support supports backing thanks hopes hope fear fears estimates estimate joke jokes want wants
  complains expected
# Verbs that report only with a that-clause, a colon or a quotation ("added that", not "added value").
that_only: add adds added adding believe believes believed maintain maintains maintained write writes wrote
  writing recall recalls recalled respond responds responded agree agrees agreed find finds found continue
  continues continued
# Verbs with a listener object ("told reporters that …"), and verbs that may precede their claimant.
tell: tell tells told telling warn warns warned ask asks asked
invertible: say says said add adds added write writes wrote ask asked note noted explain explained insist
  insisted argue argued warn warned state stated claim claimed continued reply replied
# Irregular participles: like -ed words, they end a claimant.
participles: made given taken seen known held sent built shown found brought done
# Nouns that report when a that-clause follows ("the claim that …", "Russia's allegations that …").
assert_nouns: claim claims allegation allegations assertion assertions accusation accusations report reports
  suggestion suggestions insistence warning warnings belief contention charge charges rumor rumors rumour
  rumours speculation admission
deny_nouns: denial denials
doubt_nouns: doubt doubts
# "calling it …": the object, the nouns it may name, and labels that make it a denial.
call: call calls called calling
call_objects: it them this that these those him her us me
call_nouns: claim claims allegation allegations accusation accusations report reports attack incident move
  decision statement statements episode idea plan strike remarks comments charges
deny_words: lie lies lying liar fake fakes faked false falsehood falsehoods fabrication fabricated baseless
  groundless absurd nonsense propaganda provocation unfounded ridiculous hoax slander libel untrue
  disinformation misinformation smear fiction bogus
# What a cue may be said in, as part of the cue: "said in a statement", "says in a written statement".
statement: statement statements release
# Words after a comma that end a content: a comment on it or an aside ("…, which …", "…, a swipe at X").
content_enders: according which who compared a an
# Function words and word classes the noun-phrase and clause rules stop at or skip.
det: the a an this these those his her its their our my your such any some no every each another other several
  many few both all whose
prep: of in on at by for with from to into onto about over under after before during against among amongst
  between through without within via per amid amidst despite toward towards upon behind across around near
  like unlike beyond regarding
np_prep: of from for at
gerund_prep: by for in while without
aux: has have had having is was were are be been being am will would could can may might shall should must did
  does do
be: is was were are be been being am
be_contracted: i'm you're we're they're it's that's there's
adverbs: also then again later now still already once further even just ever first too long today yesterday
  tonight twice
ly_nouns: family ally rally supply assembly monopoly reply anomaly bully belly daily weekly holy
boundary: that while whilst but and or nor whereas however as when because if since although though where
  which who whom so yet than meanwhile unless until whether what how why
relative: who which that
coord: and but or while whilst whereas yet ; ,
bad_start: and but or nor while whilst whereas yet so than which who
subjects: i you he she it we they who which one
pronouns: i you he she we they
things: nothing something anything everything
noun_followers: of about against by from regarding over in on for with as and or were was is are have has had
  made , . )
adjectives: new false latest recent fake such other similar earlier previous same many
adjunct: in on at during after before via through from by yesterday today tonight earlier later last this
  recently late when while as without monday tuesday wednesday thursday friday saturday sunday
parenthetical: however though meanwhile speaking
# A time adjunct between a claimant and its cue ("Trump on Tuesday said", "Clinton last week said").
time_heads: on last this earlier late
time_nouns: monday tuesday wednesday thursday friday saturday sunday week weekend month year night morning
  afternoon evening
weekdays: monday tuesday wednesday thursday friday saturday sunday
# What a question opens with: "Asked whether …", "was asked about …".
questions: whether if who what why how when where which about
# Newsroom labels before a colon that introduce no speaker ("UPDATE: …", "Editor's Note: …").
colon_labels: latest contributing breaking revealed byline wow note update updated correction exclusive plus
  hey look remember boom busted bombshell name question answer watch related photo video read more listen
  warning caption credit source sources editor's editor’s advertisement transcript developing live analysis
  opinion reporting additional q a
# Last words of a title or an institution, never a surname ("Prime Minister", "Foreign Minister").
role_words: minister president secretary spokesman spokeswoman spokesperson official officials department
  ministry office house party committee campaign council court senate congress government agency news times
  post
"""
W = {k: frozenset(v.split()) for k, v in re.findall(r"^(\w+):(.*(?:\n[ \t].*)*)", LEXICON, re.M)}
VERBS = {form: stance for stance in STANCES for form in W[f"{stance}_verbs"]}
NOMINAL = {form: stance for stance in STANCES for form in W[f"{stance}_nouns"]}
NP_STOP = W["boundary"] | (W["prep"] - W["np_prep"]) | W["aux"] | W["adverbs"] | {"not", "never", "cannot"}
# Multi-word cues: "/" separates the alternatives of one position; then stance and role.
PHRASES = tuple(
    (tuple(frozenset(pos.split("/")) for pos in words.split()), stance, role)
    for words, stance, role in (
        ("according to", "assert", "according"),
        ("cast/casts/casting doubt/doubts on/over/upon", "doubt", "verb"),
        ("point/points/pointed/pointing out", "assert", "verb"),
        ("call/calls/called/calling for/on", "assert", "verb"),
        ("refer/refers/referred/referring to", "assert", "verb"),
        ("talks/talked/talking/spoke/speaks/speaking about", "assert", "verb"),
        ("ask/asks/asked/asking about", "assert", "verb"),
        ("respond/responds/responded/responding to", "assert", "verb"),
        ("point/points/pointed/pointing to", "assert", "verb"),
        ("rail/rails/railed/railing against", "deny", "verb"),
    )
)
# Words that may start a cue: every other token is skipped without trying the cue rules (speed).
TRIGGERS = frozenset(VERBS) | frozenset(NOMINAL) | W["call"] | {w for p, _, _ in PHRASES for w in p[0]}
