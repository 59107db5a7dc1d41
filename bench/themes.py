"""Themes benchmark: time `feedback.themes.themes` on synthetic feedback forms.

Generates --forms leader feedback forms (default 5,000), each with a "went well", a "did not go
well" and a recommended-topics answer, phrased in varied ways in English, French, Spanish,
Russian, Arabic and Chinese, and times the theme computation of the three groups, as the
Ethics Office's insight page does (target < 30 s on a 2-core machine). No database needed.

    .venv/bin/python bench/themes.py [--forms 5000] [--seed 1]
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cascade.settings")

TARGET_SECONDS = 30.0

WELL = {
    "en": [
        "Everyone spoke up",
        "The scenarios were realistic",
        "Good discussion about {x}",
        "People shared personal stories about {x}",
        "The team engaged openly",
        "Lively debate on {x}",
        "Quiet colleagues took part",
        "Clear key messages",
    ],
    "fr": ["Tout le monde a participé", "Les scénarios étaient réalistes", "Bonne discussion sur {x}", "Échanges ouverts sur {x}"],
    "es": ["Todos participaron", "Los escenarios eran realistas", "Buena discusión sobre {x}", "Debate abierto sobre {x}"],
    "ru": ["Все участвовали", "Сценарии были реалистичными", "Хорошая дискуссия о {x}"],
    "ar": ["شارك الجميع في النقاش", "كانت السيناريوهات واقعية", "نقاش جيد حول {x}"],
    "zh": ["大家都积极参与", "情景很真实", "关于{x}的讨论很好"],
}
BADLY = {
    "en": [
        "We ran out of time",
        "Not enough time for the third scenario",
        "The video did not play",
        "Some people stayed silent",
        "The room was too small",
        "Connection problems on the video call",
        "The guide was too long",
    ],
    "fr": ["Nous avons manqué de temps", "La vidéo ne fonctionnait pas", "Problèmes de connexion"],
    "es": ["Nos faltó tiempo", "El vídeo no funcionó", "Problemas de conexión"],
    "ru": ["Не хватило времени", "Видео не работало", "Проблемы со связью"],
    "ar": ["لم يكن هناك وقت كاف", "لم يعمل الفيديو"],
    "zh": ["时间不够", "视频无法播放", "网络连接有问题"],
}
TOPICS = {
    "en": [
        "Artificial intelligence at work",
        "Harassment and abuse of authority",
        "Conflicts of interest in procurement",
        "Mental health and wellbeing",
        "Use of social media",
        "Speaking up without fear of retaliation",
        "Gifts and hospitality",
    ],
    "fr": ["L'intelligence artificielle au travail", "Le harcèlement", "Les conflits d'intérêts", "La santé mentale"],
    "es": ["La inteligencia artificial en el trabajo", "El acoso laboral", "Los conflictos de intereses"],
    "ru": ["Искусственный интеллект на работе", "Домогательства", "Конфликт интересов"],
    "ar": ["الذكاء الاصطناعي في العمل", "التحرش", "تضارب المصالح"],
    "zh": ["工作中的人工智能", "骚扰问题", "利益冲突"],
}
SUBJECTS = {
    "en": ["gifts", "social media", "speaking up", "conflicts of interest"],
    "fr": ["les cadeaux", "les réseaux sociaux"],
    "es": ["los regalos", "las redes sociales"],
    "ru": ["подарках", "социальных сетях"],
    "ar": ["الهدايا", "وسائل التواصل"],
    "zh": ["礼物", "社交媒体"],
}
EXTRAS = {
    "en": ["", " today", ", really", " overall", " in the end", ". Thanks to the leader"],
    "fr": ["", " aujourd'hui", " dans l'ensemble"],
    "es": ["", " hoy", " en general"],
    "ru": ["", " сегодня", " в целом"],
    "ar": ["", " اليوم"],
    "zh": ["", "。", "！"],
}
LANGUAGES = ["en"] * 5 + ["fr"] * 2 + ["es"] * 2 + ["ru", "ar", "zh"]


def phrase(rng: random.Random, table: dict) -> str:
    language = rng.choice(LANGUAGES)
    text = rng.choice(table[language]).format(x=rng.choice(SUBJECTS[language]))
    text += rng.choice(EXTRAS[language])
    return text.lower() if rng.random() < 0.2 else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    import django

    django.setup()
    from feedback.themes import themes

    rng = random.Random(args.seed)
    groups = {
        "went_well": [phrase(rng, WELL) for _ in range(args.forms)],
        "went_badly": [phrase(rng, BADLY) for _ in range(args.forms)],
        "topics": [phrase(rng, TOPICS) for _ in range(args.forms) for _line in range(rng.choice([1, 1, 2]))],
    }
    print(f"load average at start: {os.getloadavg()[0]:.2f}; {os.cpu_count()} CPUs")
    total = 0.0
    for name, texts in groups.items():
        started = time.perf_counter()
        result = themes(texts)
        elapsed = time.perf_counter() - started
        total += elapsed
        print(f"\n{name}: {len(texts)} answers -> {len(result)} themes in {elapsed:.2f} s")
        for theme in result:
            print(f"  {theme.count:5d}  {theme.label[:60]:60s}  e.g. {theme.examples[0][:50]}")
    verdict = "PASS" if total < TARGET_SECONDS else "FAIL"
    print(f"\nthemes of {args.forms} forms (3 groups): {total:.2f} s, target < {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
