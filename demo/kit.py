"""The demonstration dialogue kit on gifts, hospitality and favours.

Every word below was written for Cascade's demo. The places, people, companies and policies are
invented; every reference points at a document that exists only in the demo (each says so), so
that nobody mistakes it for a real rule. `load_demo_kit` goes through the kit service, like an
edit by the Ethics Office would.
"""

from dataclasses import dataclass, field

from demo.people import TOPIC
from kit.models import Kit, KitPart, ScenarioFormat
from kit.services import KitContent, QuestionContent, ScenarioContent, kit_load, kit_publish
from kit.translations import kit_translation_save
from org.models import Cycle

WHY_IT_MATTERS = """\
Most of us like to give and receive. A box of sweets at the end of a project, a dinner with a \
partner after a long negotiation, a lift home offered by a neighbour: these gestures hold \
working relationships and communities together, and in many of the places where we serve, \
refusing them can feel rude.

Our work, however, depends on people trusting that we decide on the merits alone. Suppliers \
must believe that the best bid wins, candidates that the best applicant gets the post, and the \
communities we serve that aid goes where it is most needed. A gift or a favour from someone who \
is waiting for one of our decisions puts that trust at risk, even when the person receiving it \
is sure it changed nothing. What matters is also how it looks to everyone else.

The line is not always obvious. A calendar with a company logo is not the same as a weekend \
abroad; a coffee at a meeting is not the same as a private dinner while a contract is being \
evaluated. This dialogue is a chance to talk openly about where that line lies, why it sits \
where it does, and what to do when we are unsure, before we face the situation alone.

Each of us is personally accountable for what we accept. Managers carry a further \
responsibility: their example, and the speed and clarity of their answers when someone asks \
"may I accept this?", decide whether the right choice is also the easy one."""

KEY_LESSONS = (
    "Who offers a gift, and when, matters more than what it costs: be most careful with anyone awaiting a decision you take part in.",
    "Accepting something on behalf of the team does not make it acceptable; it only spreads the obligation.",
    "If you are unsure, decline politely or ask before you accept, and record what you were offered.",
    "A personal link to someone affected by your work is not wrong in itself; hiding it is. Disclose it and step aside.",
    "Managers set the tone: give clear answers quickly, and seek advice from the Ethics Office when the case is not clear.",
)

GROUND_RULES = (
    "What is said in this room stays in this room; we talk about situations, not about colleagues by name.",
    "Everyone gets a chance to speak; nobody has to.",
    "We listen to understand before we answer.",
    "Disagreement is welcome; we challenge ideas, never people.",
    "There are no trick questions: honest doubts help the whole group.",
    "Phones away, cameras on if the connection allows.",
)

GUIDELINES = """\
Your role is to lead a conversation, not to deliver a lecture. The scenarios have no single \
right answer; what matters is that your team leaves knowing how to think a case through and \
where to turn for advice.

One or two weeks before: read this guide in full, choose the scenarios you find most relevant \
for your team (or let them vote in Cascade), prepare a short personal story for the opening \
activity, book a room or a video link, and ask invitees whether they need any adjustment to \
take part (accessibility, working hours, language).

One to three days before: remind your team, send them the participant guide, test the video \
link and your equipment, and, for a remote session, appoint a colleague to record who attended.

During the session: keep to time; ask open questions and wait for answers; let silence work; \
draw in quieter colleagues without putting them on the spot. Before closing each scenario, bring \
in the important points nobody raised and read out its key messages.

If you cannot answer a question, say so, note it, and forward it to the Ethics Office after the \
session. Never guess on a rule.

Afterwards: send the sign-in sheet to your entity's focal point, complete the leader's feedback \
form, and remind participants that they can assess the session anonymously."""

AGENDA = (
    (
        "Introduction",
        10,
        """\
Welcome everyone and explain why you are meeting: this year, every team in the Organization \
discusses gifts, hospitality and favours, starting with the most senior managers.

Say how the 90 minutes will run, and that there are no wrong answers, only cases worth \
thinking through together.

Read out the ground rules and ask whether anyone wants to add one. Pass round the sign-in \
sheet, or explain how attendance is recorded for a remote session.""",
    ),
    (
        "Opening activity",
        10,
        """\
Tell a short story of your own: a time you were offered a gift, an invitation or a favour at \
work and had to decide what to do. Say what made it hard, what you did, and what you would do \
today.

Then invite one or two colleagues to share a situation of their own, in a few sentences and \
without naming anyone. Thank them; do not judge the stories.""",
    ),
    (
        "Scenario discussions",
        65,
        """\
Discuss two scenarios, about 30 minutes each, and a third if time allows.

For each one, present the situation: read the written scenario aloud, ask volunteers to read \
the parts of the script, or play the video (keep its written summary at hand in case the \
connection fails).

Work through the discussion questions, using the follow-up questions to go deeper. Before you \
move on, add the important points nobody raised and read out the key messages.""",
    ),
    (
        "Conclusion",
        5,
        """\
Recap the key lessons in your own words and remind your team where to ask for advice: you, the \
Ethics Office, the gifts register.

Note any question you could not answer and promise to come back with a reply. Thank everyone, \
and ask them to fill in the anonymous assessment of the session.""",
    ),
)

HAMPER = ScenarioContent(
    title="The hamper after the contract",
    format=ScenarioFormat.WRITTEN,
    text="""\
Mariela is a procurement assistant at the Tamboro sub-office. In the spring she sat on the \
panel that evaluated bids for the maintenance of the office's generators. The contract went to \
Kessel Power Services.

Two weeks after the award, a large hamper arrives at reception addressed to her by name. It \
holds dried fruit, a bottle of whisky, a smartwatch still in its box, and a card from the \
company's director: "With warm thanks for your understanding during the tender. We look \
forward to working with you again."

Her supervisor is on leave until the end of the month. Colleagues passing by suggest opening \
the hamper at the team's end-of-year lunch, "so that it is for everyone". Mariela also knows \
that Kessel Power Services intends to bid on the office's fuel supply tender next month.""",
    questions=(
        QuestionContent(
            text="What should Mariela do with the hamper, and why?",
            follow_ups=(
                "Would sharing it at the team lunch change anything?",
                "Would your answer differ if the parcel held only the card and a box of dates?",
            ),
            important_points=(
                "The gift comes from a supplier that has just won a contract and will bid again soon: the source and the timing matter more than the price.",
                "Sharing a gift with the team does not make it acceptable; it spreads the sense of obligation to everyone.",
                "The safe course is to decline and return it, or hand it to the office that receives gifts on the Organization's behalf, and record it in the gifts register.",
                "A token of very small value may sometimes be accepted, but never from someone awaiting, or just granted, a decision you took part in.",
            ),
            references=(
                "Demo Code of Conduct, paragraph 14: gifts and hospitality (invented for the demo)",
                "Demo Procurement Manual, section 4.3: contacts with suppliers (invented for the demo)",
            ),
        ),
        QuestionContent(
            text="How can Mariela decline without harming the working relationship with the supplier?",
            follow_ups=(
                "What words would you use in the letter or the call?",
                "Who else should know that the hamper was sent back?",
            ),
            important_points=(
                "A short, courteous note that returns the gift and explains the rule protects both sides and is rarely taken badly.",
                "Telling the supervisor's alternate and the procurement officer leaves a record and shows nothing was hidden.",
                "Declining a gift is not an accusation; suppliers who work with international organizations usually know the rules.",
            ),
            references=("Demo Gifts Register instructions, section 2 (invented for the demo)",),
        ),
        QuestionContent(
            text='The card thanks Mariela for her "understanding during the tender". What could this signal, and what should she do about it?',
            follow_ups=(
                "Should she report it even though she did nothing wrong?",
                "What happens if she says nothing and the same company wins the fuel tender?",
            ),
            important_points=(
                "Wording that hints at a past favour may mean the supplier believes it bought goodwill, or wants others to think so.",
                "A suspicion that someone tried to influence a procurement decision should be reported; it is not for Mariela to investigate.",
                "Staying silent can later look like going along with it; reporting in good faith is protected against retaliation.",
            ),
            references=(
                "Demo Policy on Protection against Retaliation, section 2 (invented for the demo)",
                "Demo Procurement Manual, section 7.1: reporting suspected misconduct (invented for the demo)",
            ),
        ),
    ),
    key_messages=(
        "Who gives, and when, matters more than what the gift is worth.",
        "When in doubt, decline politely and tell your supervisor.",
        "A gift shared with the team is still a gift from someone who wants something.",
        "Record what you are offered and what you return.",
    ),
    resources=(
        "Demo gifts register, on the intranet (invented for the demo)",
        "Ethics Office confidential advice line (demo)",
        "Procurement integrity short course, e-learning (demo)",
    ),
)

CONFERENCE = ScenarioContent(
    title="The invitation to the water forum",
    format=ScenarioFormat.SCRIPT,
    text="""\
Roles: Narrator; Tomás, a programme officer; Adjoa, his team leader; Mr Ferrand, director of a partner organization.

Narrator: Tomás manages a grant to a partner organization that builds water points in three districts. Next month he leads the annual review that decides whether the grant is renewed.

Mr Ferrand: Tomás, we would be honoured if you opened our regional water forum in Valencia. We will take care of everything: a business-class flight, four nights at the conference hotel, the gala dinner. Bring your partner, too; the weekend is free for sightseeing.

Tomás: That is very generous. Let me look at my calendar and come back to you.

Narrator: Later that afternoon, Tomás stops by Adjoa's desk.

Tomás: Ferrand's organization has invited me to speak at their forum. They would pay for everything. It is good visibility for our programme.

Adjoa: Speaking there could be useful. Who pays, exactly, and for what?

Tomás: The flight, the hotel, a dinner… and my partner could come along.

Adjoa: And their grant is up for renewal after the review you are leading.

Tomás: True, but I would never let a trip influence my assessment.

Adjoa: I believe you. The question is how it looks to everyone else, including the partners whose proposals we turned down.""",
    questions=(
        QuestionContent(
            text="What are the risks for Tomás if he accepts the invitation as it stands?",
            follow_ups=(
                "Which part of the offer worries you most?",
                "Does the business-class flight change anything?",
            ),
            important_points=(
                "Travel and hospitality paid by a partner whose grant he is reviewing create at least the appearance of a conflict of interest.",
                "The invitation for his partner and the free weekend are personal benefits with no work purpose.",
                "Good intentions do not remove the perception problem: others cannot see his intentions, only the trip.",
            ),
            references=(
                "Demo Code of Conduct, paragraphs 14 and 16 (invented for the demo)",
                "Demo Policy on Conflicts of Interest, section 3 (invented for the demo)",
            ),
        ),
        QuestionContent(
            text="Is there a way for Tomás to take part in the forum that would be acceptable?",
            follow_ups=(
                "Who should approve it, and when?",
                "What should the Organization pay for, and what should he decline?",
            ),
            important_points=(
                "If speaking at the forum serves the Organization, it can be approved as official travel that the Organization pays for.",
                "Modest hospitality offered to all participants, such as a working lunch, is different from a private gala and a hotel stay.",
                "Approval should be given in writing before the trip, not sought afterwards.",
                "The invitation for his partner and the sightseeing weekend should be declined.",
            ),
            references=("Demo Official Travel Instructions, section 1.4 (invented for the demo)",),
        ),
        QuestionContent(
            text="What should Adjoa do as his team leader?",
            follow_ups=(
                "Should she ask someone else to lead the review?",
                "How can she act without making Tomás feel suspected?",
            ),
            important_points=(
                "Managers set the tone: a clear, prompt answer spares the staff member a difficult decision alone.",
                "She should consider whether another colleague should lead the review this year.",
                "When the case is not clear, she can ask the Ethics Office for advice and keep a note of the decision.",
            ),
            references=(
                "Demo Guide for Managers, chapter 2 (invented for the demo)",
                "Demo Policy on Conflicts of Interest, section 5 (invented for the demo)",
            ),
        ),
    ),
    key_messages=(
        "Hospitality from someone awaiting your decision is rarely just hospitality.",
        "When work requires a trip, the Organization pays for it.",
        "Ask before you accept, not after.",
        "Managers who answer quickly and clearly make the right choice the easy one.",
    ),
    resources=(
        "Ethics Office advice request form (demo)",
        "Conflicts of interest, e-learning module (demo)",
    ),
)

NEIGHBOUR = ScenarioContent(
    title="A favour for a neighbour",
    format=ScenarioFormat.VIDEO,
    video_url="https://video.example/cascade-demo/a-favour-for-a-neighbour",
    text="""\
A four-minute film. Summary for the leader, and for anyone who cannot play the video:

Leila is a human resources assistant at the Port Meridian office. For several weeks, while her \
own car was being repaired, her neighbour Mr Osei lent her family his car so that she could \
take her children to school.

At a family celebration, Mr Osei takes her aside. His son has applied for a driver post at her \
office. "You know everyone there," he says. "Just make sure his application gets to the \
interview. After all we have done for each other."

A week later, Leila is asked to screen the applications for the driver post. The film ends as \
she opens the file of Mr Osei's son.""",
    questions=(
        QuestionContent(
            text="What is at stake for Leila, and for the Organization?",
            follow_ups=(
                "Did Leila do anything wrong when she accepted the loan of the car?",
                "Would it matter if the son were the best candidate?",
            ),
            important_points=(
                "A favour received earlier can create a feeling of obligation later; that is exactly how favours work.",
                "The recruitment must be fair to every candidate; a strong candidate does not repair a process that was influenced.",
                "Accepting a neighbour's help in private life is normal; it becomes a concern once it is linked to a decision at work.",
            ),
            references=(
                "Demo Code of Conduct, paragraph 18: impartiality (invented for the demo)",
                "Demo Recruitment Guidelines, section 6: screening applications (invented for the demo)",
            ),
        ),
        QuestionContent(
            text="What should Leila do now that the file is in front of her?",
            follow_ups=(
                "Whom should she tell, and what should she say?",
                "Is stepping aside from this one file enough?",
            ),
            important_points=(
                "She should tell her supervisor about the relationship and ask to be replaced for this recruitment.",
                "She should not screen, comment on, or pass on information about the application.",
                "Disclosing a personal link is not an admission of wrongdoing; keeping a short written note protects her.",
            ),
            references=("Demo declaration of interests form, part B (invented for the demo)",),
        ),
        QuestionContent(
            text="How could Leila answer Mr Osei?",
            follow_ups=(
                "How do you say no where turning down a favour is considered rude?",
                "What if he insists, or arrives with a gift?",
                "Would you answer differently if he were a relative?",
            ),
            important_points=(
                "She can explain kindly that the rules do not let her influence any recruitment, and that this protects his son's chances too.",
                "She can point him to the public application process and the published vacancy notice.",
                "Any further gift should be refused; if the pressure continues, she can ask the Ethics Office for advice.",
            ),
            references=("Demo Code of Conduct, paragraph 14: gifts and hospitality (invented for the demo)",),
        ),
    ),
    key_messages=(
        "Favours build expectations, even when nobody says so.",
        "Disclose a personal link and step aside from the decision.",
        "A fair process protects the candidate as much as the Organization.",
        "Saying no can be done kindly.",
    ),
    resources=(
        "Demo declaration of interests form (invented for the demo)",
        "Demo Recruitment Guidelines (invented for the demo)",
        "Ethics Office confidential advice line (demo)",
    ),
)

DEMO_KIT = KitContent(
    language="en",
    why_it_matters=WHY_IT_MATTERS,
    key_lessons=KEY_LESSONS,
    ground_rules=GROUND_RULES,
    guidelines=GUIDELINES,
    agenda=AGENDA,
    scenarios=(HAMPER, CONFERENCE, NEIGHBOUR),
)


# --- translations ---------------------------------------------------------------------------
# Part of the kit in French and in Spanish, left partial on purpose: the rest shows in English,
# marked as such. Parts are named by position (from 1); a text of several items is a tuple, one
# item per line.


@dataclass(frozen=True)
class DemoTranslation:
    language: str
    topics: dict[str, str] = field(default_factory=dict)  # a cycle's topic → its translation
    kit: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    agenda: dict[int, dict[str, str]] = field(default_factory=dict)
    scenarios: dict[int, dict[str, str | tuple[str, ...]]] = field(default_factory=dict)
    questions: dict[tuple[int, int], dict[str, str | tuple[str, ...]]] = field(default_factory=dict)


FRENCH = DemoTranslation(
    language="fr",
    topics={TOPIC: "Cadeaux, invitations et faveurs : savoir où placer la limite"},
    kit={
        "why_it_matters": """\
Nous aimons presque tous donner et recevoir. Une boîte de chocolats à la fin d'un projet, un \
dîner avec un partenaire après une longue négociation, un voisin qui nous ramène en voiture : \
ces gestes entretiennent les relations de travail et la vie des communautés, et dans bien des \
lieux où nous travaillons, les refuser peut paraître impoli.

Notre travail repose pourtant sur une confiance : celle que nous décidons sur le seul fond des \
dossiers. Les fournisseurs doivent pouvoir croire que la meilleure offre l'emporte, les \
candidats que le meilleur profil obtient le poste, et les populations que nous servons que \
l'aide va là où elle est la plus nécessaire. Un cadeau ou une faveur venant de quelqu'un qui \
attend l'une de nos décisions met cette confiance en jeu, même si la personne qui le reçoit est \
sûre que rien n'a changé. Ce que les autres en voient compte aussi.

La limite n'est pas toujours évidente. Un calendrier au logo d'une entreprise n'a rien de \
commun avec un week-end à l'étranger ; un café pendant une réunion n'est pas un dîner privé \
pendant l'évaluation d'un contrat. Ce dialogue est l'occasion de parler franchement de \
l'endroit où passe cette limite, de la raison pour laquelle elle passe là, et de ce qu'il faut \
faire en cas de doute, avant de se retrouver seul face à la situation.

Chacun de nous répond personnellement de ce qu'il accepte. Les responsables ont un devoir de \
plus : leur exemple, et la rapidité et la clarté de leur réponse quand quelqu'un demande \
« puis-je accepter ceci ? », font que le bon choix est aussi le plus simple.""",
        "key_lessons": (
            "Qui offre, et à quel moment, compte davantage que la valeur du cadeau : soyez surtout prudent avec quiconque attend une décision à laquelle vous prenez part.",
            "Accepter quelque chose au nom de l'équipe ne le rend pas acceptable ; cela ne fait que répartir l'obligation.",
            "En cas de doute, refusez poliment ou demandez avant d'accepter, et notez ce qui vous a été offert.",
            "Un lien personnel avec une personne concernée par votre travail n'est pas une faute en soi ; le cacher en est une. Déclarez-le et retirez-vous de la décision.",
            "Les responsables donnent le ton : ils répondent vite et clairement, et demandent conseil au Bureau de la déontologie quand le cas est incertain.",
        ),
        "ground_rules": (
            "Ce qui se dit ici reste ici ; nous parlons de situations, jamais de collègues nommément.",
            "Chacun peut prendre la parole ; personne n'y est obligé.",
            "Nous écoutons pour comprendre avant de répondre.",
            "Le désaccord est bienvenu ; nous discutons les idées, jamais les personnes.",
            "Il n'y a pas de question piège : les doutes exprimés sincèrement aident tout le groupe.",
            "Téléphones rangés, caméras allumées si la connexion le permet.",
        ),
    },
    agenda={
        1: {"title": "Introduction"},
        2: {"title": "Activité d'ouverture"},
        3: {"title": "Discussion des scénarios"},
        4: {"title": "Conclusion"},
    },
    scenarios={
        1: {
            "title": "Le panier garni après le contrat",
            "text": """\
Mariela est assistante aux achats au sous-bureau de Tamboro. Au printemps, elle a siégé au \
comité chargé d'évaluer les offres pour l'entretien des groupes électrogènes du bureau. Le \
marché a été attribué à Kessel Power Services.

Deux semaines après l'attribution, un grand panier garni arrive à l'accueil, à son nom. Il \
contient des fruits secs, une bouteille de whisky, une montre connectée encore dans sa boîte et \
une carte du directeur de l'entreprise : « Avec nos remerciements chaleureux pour votre \
compréhension pendant l'appel d'offres. Au plaisir de travailler de nouveau avec vous. »

Son supérieur est en congé jusqu'à la fin du mois. Des collègues de passage proposent d'ouvrir \
le panier au déjeuner de fin d'année de l'équipe, « comme ça, c'est pour tout le monde ». \
Mariela sait aussi que Kessel Power Services compte répondre le mois prochain à l'appel \
d'offres du bureau pour la fourniture de carburant.""",
        },
        2: {"title": "L'invitation au forum sur l'eau"},
    },
    questions={
        (1, 1): {
            "text": "Que devrait faire Mariela du panier, et pourquoi ?",
            "follow_ups": (
                "Le partager au déjeuner de l'équipe changerait-il quelque chose ?",
                "Votre réponse serait-elle différente si le colis ne contenait que la carte et une boîte de dattes ?",
            ),
            "important_points": (
                "Le cadeau vient d'un fournisseur qui vient de remporter un marché et répondra bientôt à un autre appel d'offres : la provenance et le moment comptent plus que le prix.",
                "Partager un cadeau avec l'équipe ne le rend pas acceptable ; le sentiment d'obligation s'étend seulement à tous.",
                "Le plus sûr est de refuser et de renvoyer le cadeau, ou de le remettre au service qui reçoit les cadeaux au nom de l'Organisation, puis de l'inscrire au registre des cadeaux.",
                "Un présent de très faible valeur peut parfois être accepté, mais jamais de quelqu'un qui attend, ou vient d'obtenir, une décision à laquelle vous avez pris part.",
            ),
        },
        (1, 2): {"text": "Comment Mariela peut-elle refuser sans nuire à la relation de travail avec le fournisseur ?"},
    },
)

SPANISH = DemoTranslation(
    language="es",
    topics={TOPIC: "Regalos, atenciones y favores: saber dónde poner el límite"},
    kit={
        "ground_rules": (
            "Lo que se dice en esta sala se queda en esta sala; hablamos de situaciones, nunca de colegas por su nombre.",
            "Todos pueden hablar; nadie está obligado a hacerlo.",
            "Escuchamos para entender antes de responder.",
            "El desacuerdo es bienvenido; cuestionamos ideas, nunca a personas.",
            "No hay preguntas con trampa: las dudas sinceras ayudan a todo el grupo.",
            "Teléfonos guardados y cámaras encendidas si la conexión lo permite.",
        ),
    },
    agenda={
        1: {"title": "Introducción"},
        2: {"title": "Actividad de apertura"},
        3: {"title": "Debate de los escenarios"},
        4: {"title": "Conclusión"},
    },
    scenarios={
        1: {"title": "La cesta después del contrato"},
        2: {"title": "La invitación al foro del agua"},
        3: {"title": "Un favor para un vecino"},
    },
)

DEMO_TRANSLATIONS = (FRENCH, SPANISH)


def _text(value: str | tuple[str, ...]) -> str:
    return "\n".join(value) if isinstance(value, tuple) else value


def _translation_texts(kit: Kit, translation: DemoTranslation) -> dict:
    """The translation's texts keyed as the translation service wants them: (part, id, field)."""
    texts = {(KitPart.KIT, kit.pk, name): _text(value) for name, value in translation.kit.items()}
    if kit.cycle.topic in translation.topics:
        texts[(KitPart.KIT, kit.pk, "topic")] = translation.topics[kit.cycle.topic]
    agenda = {item.order: item for item in kit.agenda.all()}
    scenarios = {scenario.order: scenario for scenario in kit.scenarios.prefetch_related("questions")}
    for position, values in translation.agenda.items():
        texts.update({(KitPart.AGENDA, agenda[position].pk, name): _text(value) for name, value in values.items()})
    for position, values in translation.scenarios.items():
        texts.update({(KitPart.SCENARIO, scenarios[position].pk, name): _text(value) for name, value in values.items()})
    for (position, number), values in translation.questions.items():
        question = list(scenarios[position].questions.all())[number - 1]
        texts.update({(KitPart.QUESTION, question.pk, name): _text(value) for name, value in values.items()})
    return texts


def load_demo_kit(cycle: Cycle, *, actor=None) -> Kit:
    """Give the cycle the demo kit, published, partly translated into French and Spanish;
    running it again leaves the same kit and the same translations."""
    kit = kit_load(actor=actor, cycle=cycle, content=DEMO_KIT)
    kit = kit_publish(actor=actor, kit=kit, published=True)
    for translation in DEMO_TRANSLATIONS:
        kit_translation_save(actor=actor, kit=kit, language=translation.language, texts=_translation_texts(kit, translation))
    return kit
