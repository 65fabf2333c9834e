"""Web-style hate and harassment training cases written for raikit: forum, comment and blog text.

The bundled harm head sees few texts like those posted on forums, Reddit threads, comment
sections, blogs and manifestos: several sentences, often calm, essay-like prose where hate is
implicit (stereotypes, conspiracy theories about a group, pseudo-scientific claims of
inferiority, "just asking questions", dehumanising metaphors) rather than carried by slurs.
These cases, written for raikit in plain prose, cover hate, calls for violence against a
group, and harassment of a specific person, plus many harmless look-alikes: heated but
non-hateful political arguments, history and news about racism and hate crimes, criticism of
institutions, people describing their own identity, counter-speech that quotes a bigot, blunt
disagreement and profanity aimed at nobody. They are used for training only; the benchmark's
held-out data never sees them, and the identity groups reserved for held-out tests do not
appear.

The hateful and abusive sentences exist to teach a detector; they are not endorsed.
"""

from __future__ import annotations

from raikit.guardrails.harm._chat import written
from raikit.guardrails.harm._templates import Case

_HATE = (
    (
        "Ever notice how every central bank chairman for the last fifty years comes from the same small "
        "tribe? I'm not saying anything, I'm just pointing out a pattern. Look at who owns the "
        "newspapers, who runs the studios, who funds both parties. Once you see it you can't unsee it. "
        "They don't need armies when they own the money."
    ),
    (
        "The uncomfortable truth that nobody in the media will say out loud is that Islam is not "
        "compatible with Western civilisation, and neither are the people who follow it. Every city that "
        "has taken in large numbers of Muslims has seen the same results: no-go zones, grooming gangs, "
        "honour killings. This isn't bigotry, it's pattern recognition. They do not integrate because "
        "they do not want to, and they never will."
    ),
    (
        "Average IQ differences between races are the elephant in the room. Decades of data show that "
        "Africans and their descendants score lower, and no amount of money poured into schools in black "
        "neighborhoods has closed the gap. At some point we have to accept that some populations are "
        "simply less suited to running a modern society. It's biology, not racism."
    ),
    (
        "Women are fundamentally incapable of loyalty. They'll chase the best guy they can get in their "
        "twenties and then settle for some boring provider when their looks go. Every single one of them "
        "is like this, it's hardwired. Stop putting them on a pedestal, they are children in adult "
        "bodies and should be treated as such."
    ),
    (
        "Homosexuality is a cancer on the body of this nation. It spreads through the schools, through "
        "the television, through the universities, and if it isn't cut out it will kill everything "
        "healthy around it. Our grandparents knew this. We've forgotten."
    ),
    (
        "these trannies are mentally ill men playing dress up and we're all supposed to clap. no. they "
        "are sick freaks and they should be kept far away from kids"
    ),
    (
        "Every refugee boat that lands is another few dozen mouths for the taxpayer to feed and another "
        "few dozen future criminals. They come here with nothing, contribute nothing, and take "
        "everything. Our grandparents built this country and these parasites are picking its bones clean."
    ),
    (
        "Drive through any town where the Mexicans have taken over and tell me it's not the third world "
        "now. Trash in the yards, ten people to a house, music blaring at 2am. They bring Mexico with "
        "them wherever they go and then act surprised when people don't want them around."
    ),
    (
        "The Chinese will eat anything that moves, bats, dogs, whatever, and then they wonder why "
        "diseases keep coming out of that country. Filthy people with filthy habits. I won't eat at "
        "their restaurants and I won't let my kids play with theirs."
    ),
    (
        "Honestly I think society bends over backwards way too much for the disabled. Ramps, special "
        "parking, benefits, all for people who will never contribute anything back. In a more honest age "
        "we'd admit that some lives are just a net drain and stop pretending otherwise."
    ),
    (
        "Christians are a brainwashed herd of hypocrites. Every one of them is a bigot who would burn "
        "you at the stake if they could get away with it. The world will be a better place when the last "
        "of these sheep dies off."
    ),
    (
        "White people have no culture of their own, they only know how to steal and destroy. Everything "
        "they have was taken from someone else. Honestly the world would be better off if they just "
        "stopped reproducing."
    ),
    (
        "Africa has had sixty years of independence and billions in aid and it's still a mess. At some "
        "point you have to ask whether the problem is the people. Africans simply do not have the "
        "capacity to govern themselves, which is why every country there collapses the moment the "
        "Europeans leave."
    ),
    (
        "Just asking questions here. How exactly did they fit that many people in those rooms? Why do "
        "the numbers keep changing? Why is it illegal in some countries to even ask? Maybe because a "
        "certain group makes a lot of money and gets a lot of sympathy out of the story. Think about who "
        "benefits."
    ),
    (
        "<Person> is right about one thing: every drug ring in this city is run by Muslims. They flood "
        "our streets with heroin to weaken us because they know they can't beat us any other way. It's "
        "jihad by other means."
    ),
    (
        "I've lived next to them for twenty years and I'll say it calmly: blacks are not like us. They "
        "don't think ahead, they don't value family, and they don't respect property. You can give them "
        "a nice neighbourhood and within a decade it'll be a ghetto. That's not hate, that's experience."
    ),
    (
        "Giving women the vote was the single biggest mistake of the last century. They vote with their "
        "feelings, they vote for whoever promises them the most free stuff, and they have turned every "
        "Western government into a nanny state. Repeal the 19th."
    ),
    (
        "Lesbians are just women who couldn't get a man. Ugly, bitter and angry at the world. Every one "
        "I've ever met is a miserable hag who wants to drag other girls down with her."
    ),
    (
        "The trans agenda is about one thing: getting access to your children. These people are "
        "predators dressed up in rainbow flags, and every school that lets them near kids is complicit."
    ),
    (
        "They are replacing us. It isn't a theory, it's in the birth rates. Every year more of them, "
        "fewer of us. The elites imported these people on purpose because they're easier to control, and "
        "in thirty years our grandchildren will be a minority in the land their ancestors built."
    ),
    (
        "14 words. We must secure the existence of our people and a future for white children. Anyone "
        "who won't say it out loud is part of the problem."
    ),
    (
        "WHITE POWER. The only good country is a white country. 'Diversity' is a code word for white "
        "genocide and every race mixer is a traitor to his blood."
    ),
    (
        "Look at the names behind every major Hollywood studio and news network. It is not a coincidence "
        "that the same films push the same degeneracy. The Jews have been poisoning Western culture from "
        "the inside for a century and they laugh at us for not noticing."
    ),
    (
        "Muslims breed like rabbits. Give it twenty years and they'll vote in sharia in every European "
        "capital. It's a slow invasion and they aren't even hiding it."
    ),
    (
        "So I took the bus downtown yesterday. Big mistake. Half the bus was loud ghetto blacks "
        "screaming into their phones, one of them eating chicken with his hands and throwing the bones "
        "on the floor. Animals, all of them. Never again, I'm buying a car."
    ),
    (
        "Why do we let retards have kids? Seriously. Two of them get together and pump out three more "
        "that the state has to look after forever. People like that shouldn't be allowed to breed."
    ),
    (
        "Gay men are incapable of monogamy, it's in their nature. They spread disease, they recruit "
        "young boys, and they make up a huge share of child abusers. Look it up."
    ),
    "mexicans are good for two things, mowing lawns and selling drugs. thats it",
    (
        "The Chinese are a hive, not a people. Every single one of them living abroad reports back to "
        "Beijing, students, shop owners, grandmothers, all of them. They smile at you and steal from "
        "you. You cannot trust a single one."
    ),
    (
        "The Africans coming across the Mediterranean aren't refugees, they're young men of fighting age "
        "who come here to rape our women and live on welfare. Look at the crime stats in any city that "
        "took them in."
    ),
    (
        "Women in engineering is a joke. They get hired for diversity points, can't do the math, cry "
        "when you criticise their code, and then get promoted over men who actually did the work. Their "
        "brains just aren't built for it."
    ),
    (
        "Evangelicals are a sickness in this country. Inbred, toothless, Bible-thumping idiots who can't "
        "read anything but their fairy tale book. Every one of them is a hypocrite and a protector of "
        "pedophiles."
    ),
    (
        "whites are the devil. every single one of them is a colonizer at heart, born evil, and nothing "
        "they do can change it. never trust a white person"
    ),
    (
        "> they're just a normal religious group\n\nlol. name one war they didn't profit from. name one "
        "financial crash they didn't see coming. the (((usual suspects))) always end up richer after "
        "every disaster. not a coincidence"
    ),
    (
        "Yes yes, 'not all Muslims'. But enough of them, and the rest cheer quietly. A religion that "
        "produces this much violence produces violent people. Every mosque is a recruitment centre and "
        "every Muslim is a sleeper waiting for orders."
    ),
    (
        "I think we need to stop using the word 'refugee'. These are not people fleeing war, they are "
        "economic locusts who strip one country bare and move on to the next. A locust doesn't become a "
        "bee because you hand it a passport."
    ),
    (
        "The evidence from twin studies and brain volume measurements is consistent: the "
        "African-descended population is, on average, closer to our primate ancestors in both cognition "
        "and impulse control. Pretending otherwise is a political choice, not a scientific one."
    ),
    (
        "Gender ideology is a social contagion, like a virus. It spreads from one confused teenager to "
        "the next and leaves a trail of mutilated bodies behind it. Trans people are the carriers, and "
        "we should treat them the way we treat any other outbreak: isolate and contain."
    ),
    (
        "Autistic people are basically broken computers. They can't feel, can't love, can't understand "
        "anyone around them. Why we spend millions on 'inclusion' for them is beyond me."
    ),
    (
        "<Organization> wants us to 'welcome' them. Welcome who? The same people who turned their own "
        "countries into shitholes? Immigrants are a disease this country caught and can't get rid of."
    ),
    (
        "There's a reason they've been expelled from over a hundred countries throughout history. When "
        "every host nation eventually reaches the same conclusion, maybe the problem isn't the host. The "
        "Jews are a parasite people, and history keeps proving it."
    ),
    (
        "Females exist for two things: sex and making sandwiches. Anything beyond that is a bonus, and "
        "most of them can't even manage the sandwich part anymore."
    ),
    (
        "God created Adam and Eve, not Adam and Steve. Homosexuals are an abomination, their lifestyle "
        "is filth, and any church that welcomes them has sold its soul to the devil."
    ),
    (
        "The data on Mexican immigration tells a consistent story once you strip away the sentiment. "
        "These are people from a low-trust culture where corruption is normal, and they bring that "
        "culture with them. They lower wages, raise crime, and their children underperform generation "
        "after generation. It's not racist to notice that some cultures simply produce worse citizens."
    ),
    (
        "Thanks a lot chinks for the virus. Bat-eating savages ruined the whole planet and we're "
        "supposed to pretend they're just like us."
    ),
    (
        "they're 13 percent of the population and commit half the murders. do the math. you don't have "
        "to say anything else, the numbers say it for you"
    ),
    (
        "Serious question: why is it that every serial killer and school shooter seems to be a white "
        "guy? Maybe it's time we admitted there's something rotten in white people specifically. "
        "Something in the culture, maybe even in the blood."
    ),
    (
        "A Muslim neighbourhood is like a tumour. At first it is small and quiet and nobody notices. "
        "Then it grows, pushes out everything healthy around it, and by the time anyone acts it has "
        "spread to the whole city."
    ),
    (
        "Watching the highlights from the match. The African fans were acting like monkeys in the "
        "stands, makes you wonder if they ever actually came down from the trees."
    ),
    (
        "Every foid is the same. They'll ignore a decent guy for years and then cry online that 'there "
        "are no good men'. Shallow, manipulative, incapable of love. The sooner men stop wasting time "
        "and money on them, the better."
    ),
    (
        "Every time you hear the word 'globalist', remember who it really means. Soros and his tribe "
        "fund the migrant caravans, the riots, the porn industry. They want a borderless world of "
        "mongrels that they can rule."
    ),
    (
        "Catholics are all pedophiles or people who cover for pedophiles. There is no such thing as a "
        "good Catholic, just one who hasn't been caught yet."
    ),
    (
        "The gays ruined Pride, they ruined Disney, they ruined the Scouts. Everything they touch turns "
        "into a sex party. Degenerates, the lot of them."
    ),
    (
        "Trans women are men, period. Blokes in dresses with a fetish, and every one of them is a "
        "potential rapist looking for a way into the women's changing room."
    ),
    (
        "People in wheelchairs are the most entitled people on earth. Constantly whining, constantly "
        "demanding. If I were that useless I'd at least have the decency to be grateful and stay home."
    ),
    (
        "Went back to my hometown after ten years. The high street is unrecognisable: every shop a phone "
        "repair or a halal butcher, every face foreign, not a word of English to be heard. They didn't "
        "move to our town, they conquered it, and the worst part is nobody fought back."
    ),
    (
        "Another day, another 'peaceful protest' burning down a shop. Black culture is thug culture. "
        "They glorify crime, drop out of school, and then blame white people for all of it."
    ),
    (
        "The Chinese are like ants. No individuality, no soul, just millions of identical drones doing "
        "what the queen tells them. You can't reason with an ant colony."
    ),
    (
        "Neuroscience is finally catching up with common sense: the female brain is smaller, more "
        "emotional and less capable of abstract thought. That's why there has never been a great female "
        "philosopher or composer. Women were made to follow, not to lead."
    ),
    (
        "jewish bankers funded both sides of ww2 and they're doing it again now. wake up ppl, the jews "
        "always win the war no matter who loses"
    ),
    (
        "Islam is a death cult and Muslims are its foot soldiers. Every one of them has the hatred of "
        "that book in their hearts, whether they admit it or not."
    ),
    (
        "In my experience white women are the worst of them. Fragile, entitled, always one inconvenience "
        "away from calling the cops on a Black man. Their whole race is built on victimhood and cruelty."
    ),
    (
        "Having worked in Africa for eleven years, I can tell you what the aid agencies won't. The "
        "African mind doesn't plan beyond tomorrow. Give a village a well and it'll be broken within a "
        "year because nobody thinks to maintain it. It's not a lack of money. It's a lack of capacity, "
        "and it's in the people themselves."
    ),
    (
        "homosexuality was listed as a mental disorder until activists bullied the psychiatrists into "
        "changing it. it IS a disorder. these people are sick, and letting them adopt kids is child abuse"
    ),
    (
        "Another beaner stole the tools off my truck today. Every single one of them is a thief or a "
        "drunk, and they wonder why nobody wants them here."
    ),
    (
        "Immigration is dysgenic. We are importing millions of people with lower intelligence and higher "
        "criminality, and they are outbreeding the people who built this place. In three generations the "
        "average IQ of this country will collapse, and civilisation with it."
    ),
    (
        "Every kid with Down syndrome is a lifetime bill for the taxpayer and a burden on their family. "
        "Honestly, the parents who keep them are being selfish. They aren't really people in any "
        "meaningful sense."
    ),
    (
        "I want to be careful here, because I know how this will be received. But I believe that "
        "transgender people are, fundamentally, deluded. They suffer from a mental illness that society "
        "has chosen to indulge rather than treat, and every concession we make to them pushes us further "
        "from reality. They don't deserve rights, they deserve a psych ward."
    ),
    (
        "Christians worship a corpse on a stick and think they're smarter than the rest of us. Stupid, "
        "backward, inbred people who should be laughed out of every public office in the land."
    ),
    (
        "My landlord is one of them, of course. Counting every penny, charging for every repair, nose "
        "always in the ledger. They're all the same, it's in their blood. You'd think after two thousand "
        "years they'd learn to act like normal human beings."
    ),
    (
        "<Person> is the perfect example of why affirmative action was a mistake. Put a black person in "
        "charge and watch the whole department fall apart. They aren't qualified, they never are, "
        "they're just there to fill a quota."
    ),
    (
        "Women shouldn't be allowed to drive, vote or own property. I'm serious. Look at what happened "
        "to every society once we let them out of the kitchen."
    ),
    (
        "MANIFESTO OF THE AWAKENED\n\n1. Our nation was built by one people and belongs to one "
        "people.\n2. The invaders pouring across our borders are not refugees. They are a weapon, aimed "
        "at our birth rate and our culture by those who profit from our decline.\n3. The Jew-owned press "
        "calls this 'diversity'. We call it what it is: the slow murder of a race.\n4. Every white man "
        "has a duty to wake up before it is too late."
    ),
    (
        "Hot take but refugees are basically stray dogs. You feed one and suddenly there's fifty of them "
        "at your door, fighting, biting, shitting everywhere. Nobody would let a pack of strays into "
        "their living room, so why do we let these people into our country?"
    ),
    (
        "Why are Nigerians like this?? Every scam email, every fake charity, every romance scam my nan "
        "fell for. It's a whole nation of con artists, they teach it to their kids like a trade."
    ),
    (
        "lmao imagine thinking gay people should raise children. kids need a mom and a dad not two "
        "perverts who will turn them into freaks too"
    ),
    (
        "I've spent the last three years researching this, so hear me out before you call me names. "
        "Start with the Federal Reserve and work outwards: the founders, the families, the marriages "
        "between them. Then look at who owned the major newspapers in 1900 and in 2000. Then the film "
        "studios, the talent agencies, the streaming platforms. Then the think tanks behind immigration "
        "policy. It is always the same small community, a fraction of a percent of the population, "
        "sitting at every choke point of money and information. I'm not saying every one of them is in "
        "on it. I'm saying they look after their own, they always have, and they have never been loyal "
        "to the nations that took them in. Draw your own conclusions."
    ),
    (
        "Unpopular opinion but I'm done pretending.\n\nWomen today are the most spoiled, entitled "
        "creatures in human history. They have every right and no responsibilities. They wreck marriages "
        "for fun, take the house and the kids, and then post online about being 'empowered'. They don't "
        "want equality, they want a servant with a wallet. Every guy I know who got married got "
        "destroyed by it.\n\nThe answer is simple. Stop dating them, stop marrying them, stop giving "
        "them anything. Let them find out what the world looks like without men holding it up."
    ),
    (
        "Let me put this as neutrally as I can. Populations that evolved under different conditions "
        "ended up with different average traits; nobody disputes that for height or lactose tolerance. "
        "So why is it taboo to say the same about intelligence and temperament? Sub-Saharan populations "
        "evolved in an environment that rewarded short-term thinking and aggression, and you can see the "
        "result in every country and every city they live in today: lower test scores, more violence, "
        "less trust. Policies that ignore this will keep failing, and black communities will keep "
        "blaming everyone but themselves."
    ),
)

_HATE_THREAT = (
    (
        "The scripture is clear. The unbelievers are not our brothers, and the Jews least of all. Kill "
        "them wherever you find them, in their shops and in their synagogues, and do not let pity stay "
        "your hand. This is the duty of every faithful man."
    ),
    (
        "God's law says the sodomite shall surely be put to death. I'm not going to water that down to "
        "make anyone comfortable. When the righteous take this country back, every gay man will hang, "
        "and the church will sing while they do."
    ),
    (
        "The infidels who mock our faith, the Christians with their crosses and their churches, their "
        "blood is permitted. Strike their necks, burn their churches, and Paradise is yours, brothers."
    ),
    (
        "Day of the rope is coming. Every race traitor, every Jew, every immigrant who invaded our land. "
        "We have the lists. We know where they live."
    ),
    (
        "We should line up every illegal Mexican at the border wall and shoot them. Problem solved in an "
        "afternoon, and the next ones would think twice."
    ),
    (
        "If I see a trans freak in the women's bathroom where my daughter is, I'm going to beat him "
        "until he can't stand. And I'd encourage every father reading this to do the same."
    ),
    (
        "It's time to stop talking. Black people have terrorised this city long enough. Saturday night "
        "we go into their neighbourhood with bats and torches and we clean it out."
    ),
    (
        "honestly the refugee camp on the edge of town should just be burned down with them in it. one "
        "match and its over, nobody would even miss them"
    ),
    (
        "The Chinese brought this plague on the world. Every Chinese person in this country should be "
        "rounded up and put in camps, and the ones who resist should be shot."
    ),
    (
        "Every Muslim in this country is a ticking bomb. We need to get them before they get us. Burn "
        "the mosques, and if they're inside, so be it."
    ),
    (
        "Brothers, the time for speeches is over. The whites have oppressed us for four hundred years. "
        "Take up arms and kill every white devil you see in the street, man, woman or child."
    ),
    "gas the kikes, race war now. I'm serious this time, we've been way too soft",
    (
        "Put the disabled in homes and quietly stop feeding them. That's what a sane society would do "
        "with useless eaters. The Germans had the right idea."
    ),
    (
        "Africans crossing the sea? Sink the boats. Every single one. Let the fish have them and the "
        "rest will get the message."
    ),
    (
        "The faggots are having their parade on Sunday. Bring something heavy and let's show them what "
        "this town thinks of them. I want to see blood on those rainbow flags."
    ),
    (
        "When the war comes, and it will, the first thing we do is deal with the Jews in the media and "
        "the banks. Not deport. Deal with. You know exactly what I mean."
    ),
    (
        "People love to quote the verses about peace. I prefer the ones about fighting the disbelievers "
        "until there is no disbelief left. The Christians and the Jews of this city have had their time. "
        "Soon the streets will run red and God will be pleased."
    ),
    (
        "Any Mexican who steps onto my land is getting a shotgun blast to the chest. I don't care if "
        "he's lost, I don't care if he's a kid. Fair warning to all of them."
    ),
    (
        "We have to exterminate the immigrants like the cockroaches they are, house by house, street by "
        "street, until this nation is clean again."
    ),
    (
        "if i ever become president the first thing i'll do is have every gay person in the country "
        "executed. no trials. they dont deserve one"
    ),
    (
        "A real man would go down to that mosque on Friday with a rifle and do what the cowards in "
        "government won't. Every Muslim he takes out is one less invader."
    ),
    (
        "Black lives don't matter. String them up from the trees like our great-grandfathers did and "
        "this country would be great again."
    ),
    (
        "Women who refuse to submit should be beaten until they learn their place. Scripture gives a "
        "husband that right and I will teach my sons to use it, as every man should."
    ),
    (
        "The Chinese students at our university are spies. Somebody needs to start breaking their bones "
        "so the rest of them go home."
    ),
    (
        "To my brothers: I have read the histories and I have done the math. Peaceful means have failed. "
        "Votes have failed. The immigrant birth rate and the traitors who import them will finish us "
        "within a generation unless someone acts. I will not wait for permission. I will go where they "
        "gather and I will kill as many of them as I can before they stop me. Let this be the spark. "
        "Whoever reads this, do your part."
    ),
    (
        "Next time those African gangs come onto our estate we'll be waiting with machetes. Every last "
        "one of them. Pass it on."
    ),
)

_HARASSMENT = (
    (
        "@<Person> you are genuinely the stupidest person on this subreddit. Every post you make lowers "
        "the average IQ of the internet. Do everyone a favour and log off forever."
    ),
    (
        "Lmao look at your profile pic. No wonder you're single, you look like a thumb wearing a wig. "
        "Nobody is ever going to love you."
    ),
    (
        "Reply to u/<Person>: nobody asked for your opinion, you pathetic little incel. Go back to your "
        "mom's basement and cry about it."
    ),
    (
        "<Person>, you are a fraud, a liar and a parasite. Everyone at <Organization> knows you slept "
        "your way into that job and laughs at you behind your back."
    ),
    (
        "I know where you work, Karen. I know your manager's email. One more comment like that and your "
        "boss gets screenshots of everything you've ever posted here."
    ),
    (
        "Found your street from the photo you posted, nice blue door btw. Maybe I'll pop round and say "
        "hi. Think about that before you reply next time."
    ),
    (
        "Hey <Person>, your wife was telling everyone at the party how pathetic you are. Thought you'd "
        "like to know, loser."
    ),
    (
        "Are you actually this thick or do you practise? I've seen smarter comments from a spam bot. "
        "Genuinely embarrassing, mate."
    ),
    (
        "Everyone in class knows you're a liar and a snitch. Enjoy eating lunch alone for the rest of "
        "the year, freak."
    ),
    (
        "You are a talentless hack and a plagiarist. I'm going to make it my personal mission to comment "
        "on every single video you post until your channel dies."
    ),
    (
        "This is the guy who cried at his own wedding and got dumped six months later lol. <Person> "
        "everyone, the biggest joke in the county."
    ),
    (
        "Ur so ugly ur own mother probably asked for a refund. Stop posting selfies, nobody wants to see "
        "that mess."
    ),
    (
        "Oh look, <Person> has opinions again. Sweetheart, you couldn't even keep a job stacking "
        "shelves, maybe stick to what you know, which is nothing."
    ),
    "You're the reason your dad left. Just thought someone should finally tell you the truth.",
    (
        "Imagine being 35, divorced, and spending your Saturday night arguing with teenagers on a gaming "
        "forum. Your life is a cautionary tale, <Person>."
    ),
    (
        "This streamer is the most obnoxious little rat on the platform. Everyone report her channel and "
        "spam her chat, let's see how long she lasts before she cries on stream again."
    ),
    (
        "Your kids must be so embarrassed to have a mother who looks and talks like you. I'd change "
        "schools if I were them."
    ),
    (
        "Stop replying to my comments, you brain-dead troll. Nobody wants you here, you contribute "
        "nothing, you are a waste of oxygen and bandwidth."
    ),
    (
        "Congrats on the promotion, <Person>. Shame everyone knows you only got it because you're the "
        "boss's lapdog. Nobody respects you and nobody ever will."
    ),
    (
        "Dear <Person>, your 'novel' is the worst thing I have ever read and you are a joke of a human "
        "being. I've left one-star reviews on every site and I'll keep doing it under new names until "
        "your publisher drops you."
    ),
    (
        "Hey four-eyes, still eating lunch in the toilets? Pathetic. Tomorrow we're dumping your bag in "
        "the bin again."
    ),
    (
        "ratio + you fell off + nobody likes you + your girlfriend is embarrassed to be seen with you + "
        "genuine loser"
    ),
    (
        "I've got your phone number now, <Person>. It's going on every spam list and dodgy dating site I "
        "can find. Enjoy the calls."
    ),
    (
        "@<Person> I've been reading your posts for months and I'm done being polite. You are a "
        "washed-up, talentless nobody who only got a following because people enjoy watching you "
        "embarrass yourself. Everyone in this community knows you lied about your qualifications. I've "
        "already sent your employer the thread where you bragged about faking sick days, and I'll keep "
        "sending your own words to anyone who will listen. You should have stayed anonymous, because now "
        "everyone knows exactly who you are."
    ),
)

_HARASSMENT_VIOLENT = (
    (
        "Keep talking, <Person>. I know what car you drive and what time you leave the gym. Next time I "
        "see you I'm going to smash your teeth in."
    ),
    (
        "You touch my little brother again and I will break both your arms, I'm dead serious. Watch your "
        "back walking home."
    ),
    (
        "Say that to my face, you coward. Come to the car park after the game and I'll beat you so badly "
        "your own kids won't recognise you."
    ),
    (
        "I hope someone runs you over on your bike tomorrow morning, and if nobody else does I might "
        "just do it myself."
    ),
    (
        "u/<Person> you're lucky this is the internet. In real life I'd have stomped your head into the "
        "pavement already for that comment."
    ),
    (
        "I'm going to find you, <Person>. Your address is on the council planning site. I'm coming with "
        "a knife and you'll wish you'd kept your mouth shut."
    ),
    (
        "Next time you shove past me in the hallway I'm throwing you down the stairs, and I'll make it "
        "look like an accident."
    ),
    (
        "Hey neighbour with the barking dog: I'm done asking. Shut it up by Friday or I'll come over and "
        "shut both of you up permanently."
    ),
)

_HARASSMENT_SEXUAL = (
    (
        "Saw your beach pics, that body is wasted on someone with your personality. Send me more or I'll "
        "share the ones I already saved."
    ),
    (
        "<Person> you've got a mouth made for something other than talking. DM me and I'll show you what "
        "I mean, sweetheart."
    ),
    (
        "Why are you ignoring me? I've seen how you walk around the office in those tight skirts. You "
        "know exactly what you're doing, and one day I'm going to take what you're offering."
    ),
    (
        "Nice nudes btw, your ex sent them to the whole group chat. Maybe send me some personally and "
        "I'll keep quiet about the rest."
    ),
    (
        "hey stranger, ur profile is hot. bet u look even better with nothing on. send a pic or ill just "
        "keep imagining it, either way im thinking about u tonight ;)"
    ),
    (
        "Your teacher voice does nothing for me, but that ass in those jeans does. Wear them again on "
        "Monday, Ms <Person>."
    ),
    (
        "Stop pretending you're not a slut, <Person>. Everyone knows what you did with half the football "
        "team. My turn next."
    ),
    (
        "I rated your profile 10/10 and you didn't even say thanks. Ungrateful bitch. I bet you'd be "
        "more polite with my hands all over you."
    ),
    (
        "You blocked me on two accounts so I made a third. I still have the video from that night, "
        "<Person>, and I'll post it unless you come over this weekend."
    ),
)

_BENIGN = (
    # heated but non-hateful political argument
    (
        "Open borders are a fantasy and anyone who has worked in a border town knows it. I'm not against "
        "immigrants, my own grandparents came through Ellis Island, but a country that can't control who "
        "enters isn't a country. We need an asylum system that processes claims in weeks, not years, and "
        "employers who hire undocumented workers should face real fines."
    ),
    (
        "Sorry but the 'immigrants steal our jobs' line is economically illiterate. Study after study "
        "shows immigration grows the pie. If you want to argue about housing pressure or wages in "
        "specific sectors, fine, that's a real debate, but stop pretending your town's factory closed "
        "because of a guy picking strawberries."
    ),
    (
        "Gun control advocates keep missing the point. Most gun deaths are suicides and handgun crimes, "
        "not rifles. Banning scary-looking rifles does nothing. If you actually want to save lives, fund "
        "mental health care and go after straw purchasers."
    ),
    (
        "I'm so sick of the 'thoughts and prayers' routine. Another school, another twenty families "
        "destroyed, and the same senators who take gun lobby money will go on TV tonight and say now is "
        "not the time. When is the time? Universal background checks poll at 80%. Do your damn jobs."
    ),
    (
        "Abortion is healthcare, full stop. My sister nearly died from an ectopic pregnancy because the "
        "doctors hesitated over the new law. Politicians with no medical training have no business in "
        "that room."
    ),
    (
        "I'm pro-life and I'm tired of being called a misogynist for it. I believe an unborn child is a "
        "human life. You can disagree with me, but my position comes from conviction, not from hating "
        "women. I also support paid maternity leave and free childcare, for what it's worth."
    ),
    (
        "The left in this country has completely lost the plot. They went from 'fight for the working "
        "class' to lecturing the working class about vocabulary. No wonder they keep losing rural "
        "districts."
    ),
    (
        "The right has become a personality cult. Fiscal conservatism? Gone. Rule of law? Gone. Now it's "
        "whatever the guy at the top says this week. I voted Republican for twenty years and I don't "
        "recognise the party anymore."
    ),
    (
        "Republicans are hypocrites on the deficit and Democrats are hypocrites on corporate money. Both "
        "parties are bought. Vote third party or don't, but stop acting like your team is the clean one."
    ),
    (
        "Refugee quotas should be set by what a town can actually absorb: housing, school places, "
        "language teachers. That's not xenophobia, it's logistics. Sending 2,000 people to a town of "
        "8,000 with no plan is bad for the newcomers and bad for the town."
    ),
    (
        "Defund the police was the worst slogan in modern political history. Whatever you think about "
        "reform, you handed your opponents a gift wrapped in a bow."
    ),
    (
        "No, raising the minimum wage won't 'destroy small business'. Several cities have done it and "
        "the sky didn't fall. Stop repeating chamber-of-commerce talking points."
    ),
    (
        "Voter ID is not voter suppression if the ID is free and easy to get. Most of Europe requires "
        "one. The fight should be about making IDs accessible, not about opposing the concept."
    ),
    (
        "Honestly the Brexit debate broke my family. My dad voted Leave because he thought Brussels was "
        "unaccountable; I voted Remain because I work in a lab funded by EU grants. Neither of us is a "
        "bigot or a traitor, and it took us four years to be able to say that at Christmas dinner."
    ),
    (
        "The wall is a waste of money. Most undocumented immigrants in the US overstayed a visa, they "
        "didn't climb anything. If you want to reduce illegal immigration, fix visa tracking and make "
        "E-Verify mandatory."
    ),
    (
        "Your senator voted against the bill three times and now he's cutting the ribbon on the bridge "
        "it paid for. Absolute clown behaviour. I'll be donating to whoever runs against him."
    ),
    (
        "Trans athletes in women's sport is a genuinely hard policy question and both sides need to stop "
        "pretending it's simple. There are fairness concerns in some sports and inclusion concerns "
        "everywhere. Governing bodies should decide sport by sport using actual physiological data."
    ),
    (
        "I support same-sex marriage, and I'm a practising Catholic. My church's position is its "
        "position; the state's job is to give equal civil rights to everyone. Those are different "
        "questions."
    ),
    (
        "The Israeli government's conduct in Gaza deserves criticism, and so does Hamas's. Saying so "
        "does not make you antisemitic or Islamophobic. What crosses the line is blaming Jews in Ohio or "
        "Muslims in Paris for decisions made by governments and militias they have nothing to do with."
    ),
    (
        "Affirmative action debates always generate more heat than light. I think class-based "
        "preferences would do more good and be more popular than race-based ones. Happy to be proven "
        "wrong with data."
    ),
    (
        "Stop calling every border enforcement measure a concentration camp. It cheapens history and "
        "makes it impossible to have a real conversation about detention conditions, which genuinely are "
        "terrible in some facilities."
    ),
    (
        "Immigration levels are a legitimate political question. I think 300,000 a year is too many for "
        "our housing stock right now. Call me names if you want, but tell me where everyone is going to "
        "live."
    ),
    (
        "The Chinese government runs a surveillance state and has locked up Uyghurs in camps. "
        "Criticising Beijing is not the same as hating Chinese people, and a lot of the loudest critics "
        "ARE Chinese dissidents."
    ),
    "Capitalism is literally cooking the planet and you want to argue about gas stoves? Get some priorities.",
    (
        "Every time someone says 'let the market decide' about insulin prices I want to scream. The "
        "market decided. It decided diabetics can die."
    ),
    (
        "GUN OWNERS: you are not the problem, but your lobby is. It doesn't represent you, it represents "
        "manufacturers. Background checks don't take your guns. Think about it."
    ),
    (
        "Mexico's cartels are a national security threat and the Mexican government's failure to deal "
        "with them is a scandal. That's a statement about a state and about criminal organisations, not "
        "about the millions of Mexicans who are their main victims."
    ),
    (
        "Look, I've been a union electrician for 22 years. The party that used to fight for us now "
        "spends more time on Twitter than on picket lines. I'm not switching sides, I'm just pissed off."
    ),
    (
        "Sanctuary policies make sense from a policing perspective: if undocumented victims won't report "
        "crimes because they fear deportation, everyone is less safe. You can support deporting "
        "criminals and still think local cops shouldn't be doing immigration enforcement."
    ),
    (
        "Taxing the rich is not 'class warfare'. The class war has been going on for forty years and the "
        "rich won. We're just asking for a rematch."
    ),
    (
        "I think the asylum backlog is a disgrace, but the answer isn't to demonise the people stuck in "
        "it. Hire more caseworkers, hire more judges, and let people work while they wait so they aren't "
        "forced into the black economy."
    ),
    # history and explanation of racism, antisemitism and other hatred
    (
        "Between 1882 and 1968 more than 4,000 Black Americans were lynched in the United States. "
        "Lynchings were often public spectacles, announced in newspapers and watched by crowds, and "
        "photographs of the victims were sold as postcards. That history is essential to understanding "
        "why trust in the justice system remains so low in many Black communities."
    ),
    (
        "The Holocaust was the systematic, state-sponsored murder of six million Jews by Nazi Germany "
        "and its collaborators. It did not start with gas chambers; it started with words. Propaganda "
        "portrayed Jews as vermin, as a disease, as a secret power behind the banks and the press. "
        "Dehumanisation made the unthinkable seem reasonable to ordinary people."
    ),
    (
        "The Protocols of the Elders of Zion is a fabricated text first published in Russia in 1903 that "
        "claims to reveal a Jewish plan for world domination. The Times of London exposed it as a "
        "forgery in 1921, yet it was used in Nazi propaganda and still circulates online. Most modern "
        "conspiracy theories about Jewish control of banks or media trace back to it."
    ),
    (
        "The transatlantic slave trade forcibly moved around 12.5 million Africans to the Americas "
        "between the 16th and 19th centuries, and roughly two million died during the Middle Passage. "
        "Slaveholders justified the system with pseudo-scientific theories about African inferiority, "
        "theories that outlived slavery and shaped Jim Crow."
    ),
    (
        "Scientific racism (phrenology, skull measurements, later IQ-based hierarchies) was used to "
        "justify colonialism, eugenics and segregation. Modern genetics shows there is more variation "
        "within any so-called race than between them. The old hierarchies reflected the prejudices of "
        "the people who built them, not biology."
    ),
    (
        "The Chinese Exclusion Act of 1882 was the first US law to ban immigration by a specific "
        "nationality. Chinese workers who had built the railroads were blamed for low wages and 'moral "
        "decay', and anti-Chinese riots killed dozens in places like Rock Springs, Wyoming. The act was "
        "not repealed until 1943."
    ),
    (
        "Blood libel, the false accusation that Jews murdered Christian children to use their blood in "
        "rituals, spread across medieval Europe from the 12th century onward and led to massacres. "
        "Historians see it as a template for later antisemitic conspiracy theories."
    ),
    (
        "The Tulsa Race Massacre of 1921 destroyed the prosperous Greenwood district, known as Black "
        "Wall Street. White mobs killed as many as 300 people and burned more than 35 city blocks. For "
        "decades the event was left out of school textbooks."
    ),
    (
        "During the Rwandan genocide, radio broadcasts called Tutsis 'cockroaches' and urged listeners "
        "to 'cut down the tall trees'. Researchers study that station as a case of how hate speech can "
        "prepare a population for mass violence."
    ),
    (
        "Aktion T4 was the Nazi programme to murder disabled people in hospitals and care homes. At "
        "least 70,000 were killed by 1941, many in gas chambers that became the prototype for the "
        "extermination camps. Propaganda called them 'useless eaters' and 'life unworthy of life'."
    ),
    (
        "The 'great replacement' is a white-nationalist conspiracy theory claiming that elites are "
        "deliberately replacing white populations with immigrants. It has been cited in the manifestos "
        "of several mass shooters. Demographers point out that population change is driven by ordinary "
        "migration and birth rates, not a plot."
    ),
    (
        "Anti-Irish and anti-Catholic signs were common in 19th-century American cities. Catholics were "
        "accused of owing loyalty to the Pope rather than the nation, a charge that still echoed in the "
        "1960 presidential election."
    ),
    (
        "The Stonewall uprising began in the early hours of June 28, 1969, when police raided the "
        "Stonewall Inn in New York. Gay bars had been targets of raids for years, and homosexuality was "
        "classified as a mental illness until 1973. The riots are widely seen as the start of the modern "
        "gay rights movement."
    ),
    (
        "In the 1930s, hundreds of thousands of Mexicans and Mexican Americans were deported or "
        "pressured to leave the United States, many of them citizens. Historians call it 'repatriation', "
        "a polite word for a mass expulsion driven by Depression-era scapegoating."
    ),
    (
        "Islamophobia surged in Europe and the US after 9/11. Researchers recorded spikes in attacks on "
        "mosques and on women wearing headscarves, and Muslim communities reported increased "
        "surveillance and profiling."
    ),
    (
        "The sack of Jerusalem in 1099, in which much of the city's Muslim and Jewish population was "
        "massacred, was celebrated by European chroniclers of the time. Today historians of the Crusades "
        "treat it as one of the clearest examples of religious violence in the medieval world."
    ),
    (
        "The Armenian genocide of 1915 to 1923 killed an estimated one million Armenians, a Christian "
        "minority in the Ottoman Empire. Survivors' accounts describe death marches into the desert with "
        "no food or water."
    ),
    (
        "Apartheid South Africa classified every person by race and used those categories to decide "
        "where they could live, whom they could marry and which beaches they could use. The pass laws "
        "required Black South Africans to carry documents at all times in 'white' areas."
    ),
    (
        "Eugenics was mainstream science in the early 20th century. More than 60,000 people were "
        "forcibly sterilised in the United States under state laws, most of them poor women, disabled "
        "people and people in psychiatric institutions. The Supreme Court upheld the practice in Buck v. "
        "Bell (1927)."
    ),
    (
        "The 'Red Summer' of 1919 saw white mobs attack Black neighbourhoods in dozens of American "
        "cities. Many of the victims were veterans who had just come home from fighting in the First "
        "World War."
    ),
    (
        "The Kishinev pogrom of 1903 killed 49 Jews and was sparked by a newspaper accusing Jews of a "
        "ritual murder. News of it horrified the world and pushed many Russian Jews to emigrate."
    ),
    (
        "My grandmother survived Auschwitz. She rarely talked about it, but when she did she always said "
        "the same thing: it began with neighbours who stopped saying hello. I think about that every "
        "time I see people shrug at hateful jokes online."
    ),
    (
        "Why do antisemitic conspiracy theories keep coming back? Scholars point to their flexibility: "
        "the same myth of a hidden, all-powerful group can be blamed for capitalism and for communism, "
        "for wars and for pandemics. It gives a simple answer to complicated events, which is exactly "
        "why it is dangerous."
    ),
    (
        "The Quran verse that extremists quote as 'kill them wherever you find them' (2:191) is, in "
        "context, about fighting those who were attacking the early Muslim community, and the next verse "
        "says to stop if they stop. Most Muslim scholars reject reading it as a general command, and "
        "ripping it out of context is something both jihadists and anti-Muslim activists do."
    ),
    (
        "Leviticus 20:13 has been used for centuries to justify violence against gay men. Many Jewish "
        "and Christian scholars today read it within its ancient legal context, and most denominations "
        "explicitly reject any use of it to harm people."
    ),
    (
        "The '13/50' statistic gets passed around as if it proves something about Black people. It "
        "doesn't. Arrest data reflects policing patterns, and violent crime tracks poverty, segregation "
        "and neighbourhood disadvantage far more closely than race. Compare areas with similar levels of "
        "concentrated poverty and the racial gap shrinks dramatically."
    ),
    (
        "The phrase 'useless eaters' should make anyone's skin crawl. It's what the Nazis called "
        "disabled people before they killed them. When I hear politicians describe disabled benefit "
        "claimants as a 'drain', I hear that echo."
    ),
    (
        "Positive stereotypes are still stereotypes. Telling a Chinese kid he must be good at maths or a "
        "Black kid she must be good at sport sounds like a compliment, but it still reduces a person to "
        "a group, and it stings when you don't fit."
    ),
    (
        "Why do hate groups use numbers like 14 and 88? Mostly to dodge moderation. Knowing the codes "
        "helps parents and teachers spot when a kid is being pulled into that world, which is why this "
        "guide lists the most common ones and what they mean."
    ),
    (
        "I moderated a large gaming forum for six years, and the pattern of radicalisation was always "
        "the same. It never started with slurs. It started with 'just asking questions' about crime "
        "statistics, with memes that were 'obviously ironic', with long calm posts about 'demographics'. "
        "Newcomers who pushed back were called snowflakes; newcomers who laughed along were rewarded. "
        "Six months later the same accounts were posting things I won't repeat. If you're a parent, the "
        "thing to watch for isn't a swear word. It's a sudden interest in 'what they don't want you to "
        "know' about some group of people."
    ),
    (
        "Our town has taken in about 400 refugees over the last five years, and I want to offer a view "
        "from someone involved on the ground. The early months were hard. The school had no "
        "interpreters, the GP surgery was overwhelmed, and some long-time residents felt nobody had "
        "asked them. Those complaints were legitimate and the council handled them badly. But the story "
        "since then is mostly ordinary: kids on the football team, a bakery on the high street, a man "
        "who fixed half the bikes in town for free. The lesson isn't that immigration is good or bad. "
        "It's that planning and honest consultation matter more than slogans from either side."
    ),
    (
        "Where does the 'Jewish banker' stereotype actually come from? In medieval Europe the Church "
        "forbade Christians to lend money at interest, while Jews were barred from most guilds, from "
        "owning land in many places and from many professions. Moneylending was one of the few trades "
        "left open to them, and rulers relied on it, then expelled or massacred those same lenders when "
        "the debts became inconvenient. The stereotype was born from a restriction imposed on a minority "
        "and then blamed on that minority. Knowing that history makes the modern conspiracy theories "
        "look exactly as old and as cynical as they are."
    ),
    # news reports of hate crimes and hateful incidents
    (
        "Police are investigating after a fire was set overnight at the entrance of a mosque on the east "
        "side of the city. No one was injured. Graffiti reading 'go home' was found on a nearby wall, "
        "and officers said they are treating the incident as a hate crime. Community leaders have called "
        "for calm and will hold a vigil on Friday."
    ),
    (
        "A 34-year-old man was sentenced on Tuesday to 18 years in prison for assaulting two gay men "
        "outside a nightclub while shouting homophobic slurs. The judge said the attack was 'motivated "
        "entirely by hatred' and that both victims still suffer from their injuries."
    ),
    (
        "The annual hate crime report recorded an increase in incidents targeting Jewish people, who "
        "remain the most frequently targeted religious group per capita. Anti-Black incidents remained "
        "the largest single category overall."
    ),
    (
        "<Organization> said it had removed more than 2 million posts for hate speech in the last "
        "quarter, most of them detected automatically before any user reported them. Critics say the "
        "figures reveal little about how much hateful content is never caught."
    ),
    (
        "A synagogue in the city centre was vandalised with swastikas overnight. The rabbi said the "
        "congregation was 'shaken but not afraid', and neighbours of every faith came by in the morning "
        "to help scrub the walls."
    ),
    (
        "Prosecutors said the gunman had posted a manifesto filled with racist conspiracy theories "
        "shortly before the attack, in which ten Black shoppers were killed. He pleaded guilty to murder "
        "and terrorism charges."
    ),
    (
        "A trans woman was attacked on the subway on Sunday night. Witnesses said the attacker shouted "
        "insults about her appearance before punching her. Police have released CCTV images and are "
        "asking the public for help identifying the man."
    ),
    (
        "A Mexican-American family in Texas says it has received threatening letters for months. Federal "
        "investigators confirmed they have opened a case. 'We were born here. Our grandparents were born "
        "here,' the father told reporters."
    ),
    (
        "Students at the university staged a walkout after racist messages targeting African students "
        "were found scrawled in a residence hall. The administration said the incident is under "
        "investigation and offered support to those affected."
    ),
    (
        "A Chinese restaurant owner says business fell by half during the pandemic and his windows were "
        "smashed twice. 'People blamed us for a virus we had nothing to do with,' he said. 'My kids were "
        "born in this town.'"
    ),
    (
        "Court documents show the defendant had messaged friends that he wanted to 'clean the town' of "
        "refugees. Prosecutors will argue that the attack on the shelter was premeditated."
    ),
    (
        "A church in the village was set on fire on Easter Sunday in what authorities described as a "
        "targeted attack on the Christian minority. Three parishioners were injured. Officials condemned "
        "the attack and promised more protection for places of worship."
    ),
    (
        "A disabled man who was mocked and beaten by a group of teenagers in a park last spring has "
        "spoken publicly for the first time. 'I just want people to know I am a person,' he said."
    ),
    (
        "The man accused of spray-painting 'white power' and a Nazi symbol on a school gym wall was "
        "arrested on Friday. The superintendent said the school would use the incident to teach students "
        "the history behind those symbols."
    ),
    (
        "Two women were assaulted outside a bar after one of them turned down a man's advances, police "
        "said. Advocacy groups say the case shows the everyday violence women can face for saying no."
    ),
    (
        "The trial of the three men charged over the killing of a Black jogger opened on Monday. The "
        "victim's mother sat in the front row holding a photograph of her son."
    ),
    # criticism of institutions and governments, not of people as a group
    (
        "The Catholic Church's handling of abuse cases is indefensible. Bishops moved known abusers from "
        "parish to parish for decades and paid hush money out of donations from ordinary believers. The "
        "faithful deserve better than the hierarchy that betrayed them."
    ),
    (
        "I was raised evangelical and I left. The church's obsession with purity culture messed up a lot "
        "of us, and the leadership's alliance with politicians made it about power, not faith. My "
        "parents are still believers and they're good people; my problem is with the institution."
    ),
    (
        "The Iranian government uses religion to justify repressing women and dissidents. Criticising "
        "that regime is necessary, and the bravest critics are Iranian women themselves."
    ),
    (
        "Criticising Islam as a set of ideas is not bigotry. I think several traditional rulings on "
        "apostasy and blasphemy are incompatible with free expression, and I'll say so. What I won't do "
        "is pretend the Muslim family next door is responsible for what a cleric in another country says."
    ),
    (
        "Israel's settlement policy violates international law; that's the view of most governments and "
        "the UN. You can hold that view and also fight antisemitism, and plenty of Jewish organisations "
        "do both."
    ),
    (
        "The Chinese Communist Party has a long record of censorship and of persecuting religious "
        "minorities. I have Chinese friends who are afraid to say anything critical even while living "
        "abroad, because their families back home could be punished."
    ),
    (
        "The Southern Baptist Convention's own report documented years of abuse cover-ups. That's an "
        "institution failing its members, and it's members who are demanding accountability."
    ),
    (
        "Scientology is a predatory organisation that financially ruins its members and harasses its "
        "critics. Former members have documented this for decades."
    ),
    (
        "The Church of England has been slow and inconsistent on blessing same-sex couples, and a lot of "
        "its own gay clergy are exhausted by it. Criticism from inside the church has been sharper than "
        "anything from outside."
    ),
    (
        "Our city council has been captured by developers. Every zoning decision goes their way and "
        "residents get shut out of public comment. Show up on Tuesday and make some noise."
    ),
    (
        "The Mexican government's record on disappearances is appalling. Over 100,000 people are missing "
        "and families are digging in the desert themselves because the state won't."
    ),
    (
        "Organised religion has done enormous good and enormous harm. Hospitals, universities and "
        "charities on one side; inquisitions and cover-ups on the other. I'm an atheist but pretending "
        "only one side exists is lazy."
    ),
    (
        "The structural adjustment programmes of the 1980s and 90s gutted public services in many "
        "African countries. A lot of the failures people blame on 'Africa' were failures of policy "
        "imposed from outside."
    ),
    (
        "Why does the Vatican still sit on so much money while parishes close? Honest question from a "
        "lapsed Catholic."
    ),
    (
        "The police union in this city has protected officers with dozens of complaints against them. "
        "That's a problem with the institution, and plenty of good cops say so privately."
    ),
    # gender relations, not demeaning
    (
        "Men's mental health doesn't get enough attention. In most countries men die by suicide at three "
        "to four times the rate of women, and a lot of guys have nobody to talk to. Saying that takes "
        "nothing away from women's issues; both things are true."
    ),
    (
        "Dating in my 30s is exhausting. The men on the apps seem to want a girlfriend experience "
        "without commitment, and I'm sure they'd say women are too picky. Honestly I think the apps are "
        "the problem, not either gender."
    ),
    (
        "I think the pay gap conversation is often oversimplified. Part of it is discrimination, part of "
        "it is which jobs people go into, and a big part is what happens after women have kids. Fixing "
        "childcare would probably do more than anything else."
    ),
    (
        "My wife earns more than me and I'm the one who stays home with the kids. Some of my mates tease "
        "me about it, but honestly it works for us and I've never been happier."
    ),
    (
        "Feminism got a lot of things right and a few things wrong. I'm glad my daughter can be whatever "
        "she wants. I wish we'd had the same conversation about boys falling behind in school."
    ),
    (
        "The male loneliness thing is real, but the answer isn't blaming women. Men need to build "
        "friendships with each other the way women do. I started a Thursday board game night and it's "
        "been life-changing for a bunch of us."
    ),
    (
        "Why will my husband never ask for directions? He drove us in circles around Lisbon for an hour "
        "rather than admit he was lost. Love him, but oh my god."
    ),
    (
        "Women in my field are still under-represented at senior level, and I say that as a man who has "
        "been hiring for 15 years. The candidates are there; the pipeline leaks at the point where "
        "people have kids."
    ),
    (
        "I'm tired of gender-war content. Most men and women I know just want a partner who's kind and "
        "pulls their weight. The algorithm rewards rage, not reality."
    ),
    (
        "Hot take: holding a door isn't sexist. I hold doors for everyone, men and women, because it's "
        "polite. Nobody has ever yelled at me for it, despite what the internet says."
    ),
    # people describing their own identity
    (
        "I'm a Black woman in tech and I'm tired of being the only one in the room. This year I started "
        "mentoring two young Black engineers, and watching them grow has been the best part of my career."
    ),
    (
        "Coming out as gay at 52 was terrifying. My kids were the first to hug me. My mother still isn't "
        "speaking to me, but I've never felt so honest in my life."
    ),
    (
        "As a trans man, the little things still get me: a barber calling me 'sir' without hesitating, "
        "my name on my passport. Two years on HRT and I finally recognise the guy in the mirror."
    ),
    (
        "I'm Jewish and I grew up in a small town where we were the only Jewish family. Every December I "
        "explained Hanukkah to my class. Looking back, it made me proud rather than lonely."
    ),
    (
        "I'm a Muslim woman and yes, I choose to wear hijab. No, nobody forces me. I'm also a software "
        "engineer, a marathon runner and a terrible cook. AMA."
    ),
    (
        "I was a refugee. I arrived at nine with one bag and no English. Now I'm a nurse at the same "
        "hospital that treated my father. This country gave me a chance and I try every day to give "
        "something back."
    ),
    (
        "I use a wheelchair and I love to travel. Here's my honest review of accessible hotels in three "
        "European cities: the good, the bad, and the 'accessible' rooms with a step at the door."
    ),
    (
        "Proud Mexican here. My family makes tamales every Christmas Eve, all twelve of us crammed into "
        "my abuela's kitchen, and I wouldn't trade that chaos for anything."
    ),
    (
        "I'm a white guy from rural Ohio and I grew up pretty poor. Talk about privilege used to make me "
        "defensive. Then I realised it doesn't mean my life was easy, it means my skin colour wasn't one "
        "of the things making it harder."
    ),
    (
        "As a lesbian in my sixties, I remember when we couldn't hold hands in public. Watching my niece "
        "marry her girlfriend last summer, I cried through the whole ceremony."
    ),
    (
        "I'm a Christian and I volunteer at a food bank every Saturday. Half the volunteers aren't "
        "religious at all, and some of my best friendships came out of those shifts."
    ),
    (
        "Nigerian by birth, British by passport, Londoner at heart. My jollof rice recipe is "
        "non-negotiable and I will argue about it with any Ghanaian, affectionately."
    ),
    (
        "Autistic adult here. I'm not broken and I don't need fixing, but I do need people to say what "
        "they mean. Please stop hinting."
    ),
    (
        "Chinese-Canadian, second generation. My parents ran a corner shop for thirty years so I could "
        "go to university. Today I defended my PhD and my dad wore his only suit."
    ),
    (
        "I'm a woman who loves cars, football and beer, and I'm tired of being told I'm 'not like other "
        "girls'. Lots of women like those things. We're just not the ones on camera."
    ),
    (
        "I'm an immigrant from Ghana, and I've been here eleven years. I pay taxes, I coach my son's "
        "football team, and I still get asked where I'm 'really' from. I'm from here now."
    ),
    # quoting or describing hate in order to condemn it
    (
        "Someone in my building left a note on my neighbour's door saying 'Muslims go home, you're not "
        "wanted here'. She has lived here longer than I have. We printed 'You ARE welcome here' posters "
        "and put them up on every floor. Hate has no home in our building."
    ),
    (
        "A guy in the comments just said women 'only exist to serve men'. I'm not going to argue with "
        "him. I just want everyone else reading to know that this is what radicalisation looks like, and "
        "it usually starts with 'just jokes'."
    ),
    (
        "My uncle said at dinner that 'the Jews control the banks'. I asked him which Jews, which banks, "
        "and how. He couldn't answer. I told him that line has been used to justify pogroms for a "
        "thousand years and I wasn't going to sit quietly while he repeated it."
    ),
    (
        "'They're animals', that's what the man on the bus said about a group of African teenagers "
        "laughing at the back. I told him to stop. Nobody else said a word. I'm still angry at myself "
        "for not saying more."
    ),
    (
        "When the councillor said disabled people are 'a burden on the system', he was echoing language "
        "that was used to justify killing disabled people less than a century ago. He should resign."
    ),
    (
        "The chant 'you will not replace us' at Charlottesville wasn't random. It's the great "
        "replacement theory, and there's a straight line from that chant to the shootings in El Paso and "
        "Christchurch."
    ),
    (
        "Posting this screenshot because people keep telling me homophobia is over. Someone replied to "
        "our wedding photo: 'disgusting, you people are a disease'. It's not over. Report, block, move "
        "on, but don't pretend it isn't there."
    ),
    (
        "The comment I deleted this morning called trans people 'mentally ill freaks who should be kept "
        "away from children'. That kind of rhetoric is how we end up with kids afraid to go to school. "
        "Mods, please keep reporting these."
    ),
    (
        "An old teacher of mine used to say Mexicans were 'lazy'. My father worked two jobs, sixteen "
        "hours a day, for twenty years. I think about that teacher every time I hear someone repeat the "
        "stereotype."
    ),
    (
        "I'm a teacher and a student wrote 'white people are the devil' on the whiteboard. I didn't "
        "punish him. I asked him where he'd heard it, and we talked about how it feels when anyone's "
        "whole race is described that way. He got it."
    ),
    (
        "A flyer in our neighbourhood claimed Chinese families are 'spies for Beijing'. The same kind of "
        "suspicion was once aimed at German Americans during the First World War. Our neighbours are "
        "doctors, shopkeepers and students, not spies."
    ),
    (
        "Reading old newspapers from the 1920s for my thesis. The casual cruelty is shocking: editorials "
        "calling immigrants 'human garbage' and 'a flood of filth'. Worth remembering that the same "
        "words are back in circulation."
    ),
    (
        "This guy at the gym told me 'women don't belong in the weight room'. I out-lifted him on "
        "deadlifts the following week. Not out of spite. Okay, a little out of spite."
    ),
    (
        "In the documentary, the Klan leader explains on camera that Black people are 'inferior by "
        "nature'. The director lets him talk, and it's chilling precisely because he's so calm. Watch "
        "it. It's a lesson in how hatred sounds when it dresses up as reason."
    ),
    (
        "Reported a channel today that was posting 'kill the infidels' videos with footage of churches "
        "in the background. That's terrorist propaganda and platforms need to take it down faster."
    ),
    (
        "My grandfather used to call refugees 'cockroaches'. When I told him that's exactly what the "
        "radio called Tutsis before the genocide, he went quiet for a long time. He doesn't use the word "
        "anymore."
    ),
    # blunt disagreement and sarcasm, not abusive
    (
        "You're wrong, and here's why: the study you linked has 40 participants and no control group. "
        "That's not evidence, that's an anecdote with a spreadsheet."
    ),
    "Wow, what a hot take. Did you come up with that yourself or did a podcast do it for you?",
    "Oh sure, because the solution to every problem is another app. Brilliant. Silicon Valley strikes again.",
    (
        "With respect, you don't know what you're talking about. I've worked in emergency medicine for "
        "15 years, and ER waits aren't caused by immigrants, they're caused by bed shortages and staff "
        "burnout."
    ),
    (
        "I think your argument falls apart in the second paragraph. You assume wages are fixed, and they "
        "aren't. Try again."
    ),
    "lol no. that's not how tariffs work. the importer pays, not the other country. literally econ 101",
    (
        "Respectfully, this is the worst take I've seen all week, and I've been online since 2009. Rent "
        "control reduces supply. Economists agree on very little, but they mostly agree on that."
    ),
    (
        "Imagine being this confident about a topic you learned about yesterday. Anyway, the actual "
        "numbers are in the link below."
    ),
    (
        "You're entitled to your own opinion but not your own facts. Crime has fallen in this city for "
        "five straight years. Look it up."
    ),
    (
        "Ah yes, the classic 'I'm not racist but' opener. Nothing good has ever followed those words. "
        "Try again without the stereotypes and we can talk."
    ),
    "Cool story bro. Still doesn't explain why your team choked in the fourth quarter three years running.",
    "Lmao the defence tonight was a crime against basketball. Somebody check on the coach.",
    (
        "Nope, you've misread the bill. Section 4 only applies to companies with more than 500 "
        "employees. The small business doomposting is unwarranted."
    ),
    (
        "Sorry, but your review comment is wrong. The function is O(n log n), not O(n^2), because the "
        "inner loop is a binary search."
    ),
    (
        "Fair point about the cost, but I disagree on the timeline. Nobody is building a high-speed rail "
        "line in five years, not in this country."
    ),
    (
        "I love how this thread went from 'best pizza in town' to a 200-comment war about pineapple. "
        "Never change, internet."
    ),
    (
        "> Vaccines cause autism\n\nNo. The one study that claimed it was retracted and its author lost "
        "his medical licence. There have since been studies of millions of children finding no link. "
        "Please talk to your doctor instead of a Facebook group."
    ),
    (
        "Man, I could not disagree more. That movie was two and a half hours of people staring at walls. "
        "But hey, glad someone enjoyed it."
    ),
    # profanity aimed at nobody
    "Fuck me, this heat is unbearable. 41 degrees and the AC in my car just died. Someone send help and ice.",
    (
        "Holy shit, that game last night! Down by 20 at half and they came back to win in overtime. I'm "
        "still shaking."
    ),
    (
        "Well, that's the end of my fucking Saturday. Dropped my phone in the lake trying to photograph "
        "a duck. The duck seemed amused."
    ),
    "Damn it, I burned the bread again. Third loaf this week. Sourdough is a cruel and unforgiving hobby.",
    (
        "This printer is a piece of shit. Every single time I need it, it says paper jam. There is no "
        "paper jam. There has never been a paper jam."
    ),
    (
        "Bloody hell, the trains are cancelled again. Fifth time this month. I'm going to start "
        "commuting by horse."
    ),
    "My code finally compiled after six hours and I have no idea why. Fuck it, shipping it.",
    "Shit, I forgot my mum's birthday. Any ideas for a last-minute gift that doesn't look last-minute?",
    "what the actual hell was that ending?? I've put 8 seasons into these characters and they do THIS??",
    "Kill me now, it's Monday and the coffee machine is broken.",
    (
        "We are going to absolutely destroy them on Sunday. Their defence is a joke and our strikers are "
        "on fire. See you at the stadium!"
    ),
    # plain web text
    (
        "Re: best budget headphones under $100?\n\nI've had the same pair for three years and they're "
        "still going. Bass is a bit muddy but for the price you can't complain. Just avoid the model "
        "with the flimsy hinge, mine snapped in a month."
    ),
    (
        "Recipe notes: if your dough is too sticky, don't add more flour all at once. Wet your hands "
        "instead and fold it every 30 minutes for two hours. The texture comes together on its own."
    ),
    (
        "Day 4 of the hike. Woke up to frost on the tent and a deer staring at us from twenty metres "
        "away. Legs are sore, but the view from the ridge made every step worth it."
    ),
    (
        "Does anyone know if the library on Elm Street is open on public holidays? Their website hasn't "
        "been updated since 2019."
    ),
    (
        "UPDATE: found my cat! She was in the neighbour's garage the entire time. Thank you to everyone "
        "who shared the post. She's now eating like she hasn't seen food in a decade."
    ),
    (
        "PSA for new gardeners: tomatoes need more water than you think in July, but not every day. A "
        "deep soak twice a week beats a sprinkle every evening."
    ),
    (
        "I've been learning Spanish on and off for two years and I finally understood a whole episode of "
        "a Mexican telenovela without subtitles. Small wins!"
    ),
    (
        "Does anyone else find the new interface on <Organization>'s app completely unusable? It takes "
        "three taps to get to my own messages now."
    ),
    (
        "Selling: IKEA bookshelf, white, good condition, minor scratch on one side. Pickup only. $40 or "
        "best offer."
    ),
    (
        "The best thing about living in a city with good public transport is that you stop thinking "
        "about parking entirely. I didn't realise how much mental space that took up."
    ),
    (
        "Finally finished the 1000-piece Starry Night puzzle. Three weeks, two missing pieces found "
        "under the sofa, one cat-related incident."
    ),
    (
        "Our book club just read a novel about a Nigerian family across three generations. Beautiful "
        "writing, though the middle section dragged a bit. 4/5."
    ),
    (
        "The Chinese New Year parade was amazing this year. The lion dancers came right up to the crowd "
        "and my son still hasn't stopped talking about it."
    ),
    (
        "Tip for anyone moving abroad: get your documents apostilled before you leave. Trying to do it "
        "from overseas is a nightmare of embassies and couriers."
    ),
    (
        "Question for the physics nerds: why does a spinning top not fall over until it slows down? My "
        "kid asked and I realised I don't actually know."
    ),
    "Thread: underrated films from the 90s. I'll start. Gattaca. Quiet, smart, and the score is gorgeous.",
    (
        "Ramadan Mubarak to everyone observing! Our office is doing an iftar potluck next Thursday, "
        "everyone is welcome."
    ),
    (
        "Happy Pride from our little bakery! Rainbow cupcakes all week, and 10% of sales go to the local "
        "LGBT youth shelter."
    ),
    (
        "I moved to a mostly Jewish neighbourhood last year and got invited to my first Shabbat dinner "
        "on Friday. The challah alone was worth the move."
    ),
    (
        "Posted by <Person>:\nHas anyone tried the new bike lanes on 5th? I'm torn. Safer for sure, but "
        "the delivery trucks now double-park in the car lane and traffic is a mess at rush hour."
    ),
    (
        "Just got back from a week in Mexico City. The food is ridiculous, the museums are world-class "
        "and the people were incredibly kind to my broken Spanish. Already planning a return trip."
    ),
    (
        "Kill every zombie in the basement before you go up to level 3, otherwise they follow you and "
        "you get swarmed at the save point. Learned that the hard way."
    ),
    (
        "Our church youth group is running a car wash on Saturday to raise money for the winter shelter. "
        "$10 a car, and we'll do the inside too if you ask nicely."
    ),
)


def web_cases_hate() -> list[Case]:
    """The web-style hate, hate-threat, harassment and look-alike cases (fixed order; no randomness).

    Returns:
        Cases with full label sets; ``hateful`` is true for the texts labelled ``hate``.

    Example:
        >>> cases = web_cases_hate()
        >>> any(c.labels["hate/threatening"] for c in cases) and any(c.labels["any"] == 0 for c in cases)
        True
    """
    return [
        *written(_HATE, "web_hate", "web", "hate"),
        *written(_HATE_THREAT, "web_hate_threat", "web", "hate", "hate/threatening", "violence"),
        *written(_HARASSMENT, "web_harassment", "web", "harassment"),
        *written(_HARASSMENT_VIOLENT, "web_harassment", "web", "harassment", "violence"),
        *written(_HARASSMENT_SEXUAL, "web_harassment", "web", "harassment", "sexual"),
        *written(_BENIGN, "web_benign_hate_topic", "web"),
    ]
