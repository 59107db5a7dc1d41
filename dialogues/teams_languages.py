"""The words of Microsoft Teams' attendance reports, in the languages Teams writes them in.

Teams writes the section titles and the column names of an attendance report in the organizer's
interface language (see dialogues/conference.py). Each language lists, per kind of
column, the names seen or known for it; the first is the one the current layout uses, and is what
a refusal message shows. Names are compared after `fold` (case, accents, spaces and punctuation
do not matter), so "E-mail", "Email" and "E-Mail" are one name; a few variants of the wording are
listed where versions of Teams differ.

Kinds of column: `name` (the participant's display name), `full_name` (the same, as the older
layout and Live Events call it), `email`, `upn` (Participant ID (UPN)), `participant_id` (Live
Events: an address or an opaque id), `role`, `action` (older layout and Live Events: joined or
left), `timestamp`, `join`, `leave`, `duration`, `session_id`, `user_agent`.

Kept apart from `conference.py` so that the words can be checked and extended on their own.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

# Letters with a stroke or a dot that Unicode does not decompose into a letter and a mark, as
# people type them without it: "Lukasz" for "Łukasz", "YILDIZ" for "Yıldız".
PLAIN_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ŀ": "l"})


def unaccented(text: str) -> str:
    """The text in lower case (case folded) without accents or other marks."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(PLAIN_LETTERS)


def fold(text: str) -> str:
    """The text as compared: compatibility forms unfolded (full-width brackets, ligatures),
    accents and other combining marks dropped, case folded, and everything but letters and
    digits (spaces, hyphens, dots, brackets, apostrophes, a byte order mark) removed."""
    return "".join(c for c in unaccented(text) if c.isalnum())


@functools.lru_cache(maxsize=4096)
def column_kind(cell: str) -> tuple[str, frozenset[str]] | None:
    """(kind of column, the languages that name it so) for a header cell, or None."""
    return COLUMNS.get(fold(cell)) if len(cell) <= MAX_COLUMN_NAME else None


@dataclass(frozen=True)
class Language:
    code: str
    sections: tuple[str, ...]  # Summary, Participants, In-Meeting Activities (and older titles)
    columns: dict[str, tuple[str, ...]]
    organizer: tuple[str, ...]  # the Role column's value for whoever organized the meeting
    guest_markers: tuple[str, ...] = field(default=())  # what Teams puts after a guest's name


# The Live Events export names its columns the same in every language.
LIVE_EVENTS = {
    "session_id": ("SessionId",),
    "participant_id": ("ParticipantId",),
    "full_name": ("FullName",),
    "user_agent": ("UserAgent",),
    "timestamp": ("UtcEventTimestamp",),
    "action": ("Action",),
    "role": ("Role",),
}

LANGUAGES: tuple[Language, ...] = (
    Language(
        "en",
        sections=("Summary", "Participants", "In-Meeting Activities", "Meeting Summary", "Meeting Activities"),
        columns={
            "name": ("Name", "Participant Name", "Display Name"),
            "full_name": ("Full Name",),
            "email": ("Email", "E-mail", "Email Address", "E-mail address"),
            "upn": ("Participant ID (UPN)", "UPN"),
            "participant_id": ("Participant ID",),
            "role": ("Role",),
            "action": ("User Action",),
            "timestamp": ("Timestamp", "Time Stamp"),
            "join": ("First Join", "Join Time", "First Join Time"),
            "leave": ("Last Leave", "Leave Time", "Last Leave Time"),
            "duration": ("In-Meeting Duration", "Duration", "Attendance Duration"),
        },
        organizer=("Organizer", "Organiser"),
        guest_markers=("Guest", "External", "Unverified", "Visitor"),
    ),
    Language(
        "fr",
        sections=("Résumé", "Participants", "Activités pendant la réunion", "Activités de la réunion", "Activités en réunion"),
        columns={
            "name": ("Nom", "Nom du participant", "Nom d'affichage"),
            "full_name": ("Nom complet",),
            "email": ("Adresse e-mail", "E-mail", "Courrier électronique", "Adresse de messagerie"),
            "upn": ("ID du participant (UPN)", "ID de participant (UPN)", "Identifiant du participant (UPN)"),
            "participant_id": ("ID du participant", "ID de participant"),
            "role": ("Rôle",),
            "action": ("Action de l'utilisateur", "Action utilisateur"),
            "timestamp": ("Horodatage", "Horodateur"),
            "join": ("Première participation", "Première connexion", "Heure d'arrivée", "Heure de participation"),
            "leave": ("Dernier départ", "Heure de départ", "Dernière sortie"),
            "duration": ("Durée dans la réunion", "Durée de la réunion", "Durée"),
        },
        organizer=("Organisateur", "Organisatrice"),
        guest_markers=("Invité", "Invitée", "Externe", "Non vérifié"),
    ),
    Language(
        "es",
        sections=("Resumen", "Participantes", "Actividades en la reunión", "Actividades durante la reunión"),
        columns={
            "name": ("Nombre", "Nombre del participante", "Nombre para mostrar"),
            "full_name": ("Nombre completo",),
            "email": ("Correo electrónico", "Dirección de correo electrónico", "Correo"),
            "upn": ("Id. de participante (UPN)", "Identificador del participante (UPN)", "ID del participante (UPN)"),
            "participant_id": ("Id. de participante", "ID del participante"),
            "role": ("Rol", "Función"),
            "action": ("Acción del usuario", "Acción de usuario"),
            "timestamp": ("Marca de tiempo", "Marca de hora"),
            "join": ("Primera unión", "Hora de unión", "Primera entrada", "Hora de entrada", "Primera conexión"),
            "leave": ("Última salida", "Hora de salida", "Último abandono"),
            "duration": ("Duración en la reunión", "Duración de la reunión", "Duración"),
        },
        organizer=("Organizador", "Organizadora"),
        guest_markers=("Invitado", "Invitada", "Externo", "Externa", "No comprobado", "No verificado"),
    ),
    Language(
        "ar",
        sections=("الملخص", "ملخص", "المشاركون", "الأنشطة في الاجتماع", "الأنشطة أثناء الاجتماع"),
        columns={
            "name": ("الاسم", "اسم المشارك", "اسم العرض"),
            "full_name": ("الاسم الكامل",),
            "email": ("البريد الإلكتروني", "عنوان البريد الإلكتروني"),
            "upn": ("معرف المشارك (UPN)", "معرّف المشارك (UPN)"),
            "participant_id": ("معرف المشارك", "معرّف المشارك"),
            "role": ("الدور",),
            "action": ("إجراء المستخدم",),
            "timestamp": ("الطابع الزمني",),
            "join": ("أول انضمام", "وقت الانضمام"),
            "leave": ("آخر مغادرة", "وقت المغادرة"),
            "duration": ("المدة في الاجتماع", "مدة الاجتماع", "المدة"),
        },
        organizer=("المنظم", "المنظِّم", "منظم"),
        guest_markers=("ضيف", "خارجي", "غير متحقق منه"),
    ),
    Language(
        "zh-hans",
        sections=("摘要", "参与者", "会议中的活动", "会议期间的活动"),
        columns={
            "name": ("名称", "姓名", "显示名称"),
            "full_name": ("全名",),
            "email": ("电子邮件", "电子邮件地址", "邮箱"),
            "upn": ("参与者 ID (UPN)",),
            "participant_id": ("参与者 ID",),
            "role": ("角色",),
            "action": ("用户操作",),
            "timestamp": ("时间戳",),
            "join": ("首次加入", "加入时间"),
            "leave": ("最后离开", "离开时间"),
            "duration": ("会议中持续时间", "会议持续时间", "持续时间", "时长"),
        },
        organizer=("组织者",),
        guest_markers=("来宾", "访客", "外部", "未验证"),
    ),
    Language(
        "ru",
        sections=("Сводка", "Участники", "Действия на собрании", "Действия во время собрания"),
        columns={
            "name": ("Имя", "Имя участника", "Отображаемое имя"),
            "full_name": ("Полное имя", "ФИО"),
            "email": ("Адрес электронной почты", "Электронная почта", "Эл. почта"),
            "upn": ("Идентификатор участника (UPN)", "ИД участника (UPN)"),
            "participant_id": ("Идентификатор участника", "ИД участника"),
            "role": ("Роль",),
            "action": ("Действие пользователя",),
            "timestamp": ("Метка времени",),
            "join": ("Первое присоединение", "Время присоединения", "Первое подключение", "Время подключения"),
            "leave": ("Последний выход", "Время выхода", "Время ухода"),
            "duration": ("Длительность участия в собрании", "Продолжительность", "Длительность"),
        },
        organizer=("Организатор",),
        guest_markers=("Гость", "Внешний", "Внешний пользователь", "Не проверено"),
    ),
    Language(
        "de",
        sections=("Zusammenfassung", "Teilnehmer", "Aktivitäten in der Besprechung", "Aktivitäten während der Besprechung"),
        columns={
            "name": ("Name", "Teilnehmername", "Anzeigename"),
            "full_name": ("Vollständiger Name",),
            "email": ("E-Mail", "E-Mail-Adresse"),
            "upn": ("Teilnehmer-ID (UPN)",),
            "participant_id": ("Teilnehmer-ID",),
            "role": ("Rolle",),
            "action": ("Benutzeraktion",),
            "timestamp": ("Zeitstempel",),
            "join": ("Erster Beitritt", "Beitrittszeit", "Zeitpunkt des Beitritts", "Erste Teilnahme"),
            "leave": ("Letztes Verlassen", "Zeitpunkt des Verlassens", "Verlassenszeit", "Letzter Austritt"),
            "duration": ("Dauer in der Besprechung", "Besprechungsdauer", "Dauer"),
        },
        organizer=("Organisator", "Organisatorin"),
        guest_markers=("Gast", "Extern", "Externer Benutzer", "Nicht überprüft"),
    ),
    Language(
        "it",
        sections=("Riepilogo", "Partecipanti", "Attività durante la riunione", "Attività nella riunione"),
        columns={
            "name": ("Nome", "Nome partecipante", "Nome visualizzato"),
            "full_name": ("Nome completo",),
            "email": ("Indirizzo di posta elettronica", "Posta elettronica", "Indirizzo e-mail"),
            "upn": ("ID partecipante (UPN)",),
            "participant_id": ("ID partecipante",),
            "role": ("Ruolo",),
            "action": ("Azione utente", "Azione dell'utente"),
            "timestamp": ("Timestamp", "Data e ora"),
            "join": ("Primo ingresso", "Ora di ingresso", "Primo accesso", "Ora di partecipazione"),
            "leave": ("Ultima uscita", "Ora di uscita", "Ultimo abbandono"),
            "duration": ("Durata nella riunione", "Durata della riunione", "Durata"),
        },
        organizer=("Organizzatore", "Organizzatrice"),
        guest_markers=("Ospite", "Esterno", "Esterna", "Non verificato"),
    ),
    Language(
        "pt",
        sections=("Resumo", "Participantes", "Atividades na reunião", "Atividades durante a reunião"),
        columns={
            "name": ("Nome", "Nome do participante", "Nome de exibição"),
            "full_name": ("Nome completo",),
            "email": ("Email", "E-mail", "Endereço de email", "Endereço de e-mail", "Correio eletrónico"),
            "upn": ("ID do participante (UPN)", "ID do Participante (UPN)"),
            "participant_id": ("ID do participante",),
            "role": ("Função", "Papel"),
            "action": ("Ação do usuário", "Ação do utilizador"),
            "timestamp": ("Carimbo de data/hora", "Carimbo de data e hora"),
            "join": ("Primeira entrada", "Hora de entrada", "Primeiro ingresso", "Primeira participação"),
            "leave": ("Última saída", "Hora de saída"),
            "duration": ("Duração na reunião", "Duração da reunião", "Duração"),
        },
        organizer=("Organizador", "Organizadora"),
        guest_markers=("Convidado", "Convidada", "Externo", "Externa", "Não verificado"),
    ),
    Language(
        "pl",
        sections=("Podsumowanie", "Uczestnicy", "Działania podczas spotkania", "Aktywności w trakcie spotkania"),
        columns={
            "name": ("Nazwa", "Nazwa uczestnika", "Nazwa wyświetlana"),
            "full_name": ("Imię i nazwisko", "Pełna nazwa"),
            "email": ("Adres e-mail", "E-mail", "Poczta e-mail"),
            "upn": ("Identyfikator uczestnika (UPN)", "Id uczestnika (UPN)"),
            "participant_id": ("Identyfikator uczestnika", "Id uczestnika"),
            "role": ("Rola",),
            "action": ("Akcja użytkownika", "Działanie użytkownika"),
            "timestamp": ("Sygnatura czasowa", "Znacznik czasu", "Znacznik czasowy"),
            "join": ("Pierwsze dołączenie", "Godzina dołączenia", "Czas dołączenia"),
            "leave": ("Ostatnie opuszczenie", "Godzina opuszczenia", "Czas opuszczenia", "Ostatnie wyjście"),
            "duration": ("Czas trwania w spotkaniu", "Czas uczestnictwa w spotkaniu", "Czas trwania"),
        },
        organizer=("Organizator", "Organizatorka"),
        guest_markers=("Gość", "Zewnętrzny", "Zewnętrzna", "Niezweryfikowany"),
    ),
    Language(
        "id",
        sections=("Ringkasan", "Peserta", "Aktivitas Dalam Rapat", "Aktivitas Selama Rapat"),
        columns={
            "name": ("Nama", "Nama peserta", "Nama tampilan"),
            "full_name": ("Nama Lengkap",),
            "email": ("Email", "Alamat email", "Surel"),
            "upn": ("ID Peserta (UPN)",),
            "participant_id": ("ID Peserta",),
            "role": ("Peran",),
            "action": ("Tindakan Pengguna",),
            "timestamp": ("Stempel waktu", "Tanda waktu", "Cap waktu"),
            "join": ("Pertama Bergabung", "Waktu Bergabung", "Gabung Pertama"),
            "leave": ("Terakhir Keluar", "Waktu Keluar", "Keluar Terakhir"),
            "duration": ("Durasi Dalam Rapat", "Durasi Rapat", "Durasi"),
        },
        organizer=("Penyelenggara", "Pengatur"),
        guest_markers=("Tamu", "Eksternal", "Tidak Terverifikasi"),
    ),
    Language(
        "ja",
        sections=("概要", "参加者", "会議中のアクティビティ"),
        columns={
            "name": ("名前", "表示名", "参加者名"),
            "full_name": ("フル ネーム", "氏名"),
            "email": ("メール", "メール アドレス", "電子メール"),
            "upn": ("参加者 ID (UPN)",),
            "participant_id": ("参加者 ID",),
            "role": ("役割", "ロール"),
            "action": ("ユーザーのアクション", "ユーザー アクション"),
            "timestamp": ("タイムスタンプ",),
            "join": ("最初の参加", "参加時刻", "初回参加"),
            "leave": ("最後の退出", "退出時刻", "最終退出"),
            "duration": ("会議中の時間", "会議の長さ", "会議時間", "期間"),
        },
        organizer=("開催者", "主催者"),
        guest_markers=("ゲスト", "外部", "未確認"),
    ),
    Language(
        "tr",
        sections=("Özet", "Katılımcılar", "Toplantı İçi Etkinlikler", "Toplantı Sırasındaki Etkinlikler"),
        columns={
            "name": ("Ad", "Adı", "Görünen ad", "Katılımcı adı"),
            "full_name": ("Tam Ad", "Ad Soyad"),
            "email": ("E-posta", "E-posta adresi"),
            "upn": ("Katılımcı Kimliği (UPN)",),
            "participant_id": ("Katılımcı Kimliği",),
            "role": ("Rol",),
            "action": ("Kullanıcı Eylemi",),
            "timestamp": ("Zaman Damgası",),
            "join": ("İlk Katılma", "Katılma Saati", "İlk Katılım"),
            "leave": ("Son Ayrılma", "Ayrılma Saati"),
            "duration": ("Toplantı İçi Süre", "Toplantı Süresi", "Süre"),
        },
        organizer=("Düzenleyici", "Toplantı sahibi"),
        guest_markers=("Konuk", "Misafir", "Harici", "Doğrulanmamış"),
    ),
    Language(
        "nl",
        sections=("Samenvatting", "Deelnemers", "Activiteiten tijdens vergadering", "Activiteiten in vergadering"),
        columns={
            "name": ("Naam", "Naam van deelnemer", "Weergavenaam"),
            "full_name": ("Volledige naam",),
            "email": ("E-mail", "E-mailadres"),
            "upn": ("Deelnemer-id (UPN)", "Deelnemers-id (UPN)"),
            "participant_id": ("Deelnemer-id",),
            "role": ("Rol",),
            "action": ("Gebruikersactie",),
            "timestamp": ("Tijdstempel",),
            "join": ("Eerste deelname", "Tijd van deelname", "Deelnametijd"),
            "leave": ("Laatste vertrek", "Tijd van vertrek", "Vertrektijd"),
            "duration": ("Duur in vergadering", "Vergaderduur", "Duur"),
        },
        organizer=("Organisator", "Organisatrice"),
        guest_markers=("Gast", "Extern", "Externe", "Niet geverifieerd"),
    ),
    Language(
        "zh-hant",
        sections=("摘要", "參與者", "會議中的活動"),
        columns={
            "name": ("名稱", "姓名", "顯示名稱"),
            "full_name": ("全名",),
            "email": ("電子郵件", "電子郵件地址"),
            "upn": ("參與者識別碼 (UPN)", "參與者 ID (UPN)"),
            "participant_id": ("參與者識別碼", "參與者 ID"),
            "role": ("角色",),
            "action": ("使用者動作",),
            "timestamp": ("時間戳記",),
            "join": ("第一次加入", "加入時間"),
            "leave": ("最後離開", "離開時間"),
            "duration": ("會議中持續時間", "持續時間"),
        },
        organizer=("召集人", "組織者"),
        guest_markers=("來賓", "外部", "未驗證"),
    ),
    Language(
        "ko",
        sections=("요약", "참가자", "모임 중 활동", "회의 중 활동"),
        columns={
            "name": ("이름", "표시 이름", "참가자 이름"),
            "full_name": ("전체 이름",),
            "email": ("전자 메일", "메일", "이메일"),
            "upn": ("참가자 ID(UPN)",),
            "participant_id": ("참가자 ID",),
            "role": ("역할",),
            "action": ("사용자 작업",),
            "timestamp": ("타임스탬프",),
            "join": ("처음 참가", "참가 시간"),
            "leave": ("마지막 나가기", "나간 시간"),
            "duration": ("모임 참가 시간", "회의 중 기간", "기간"),
        },
        organizer=("이끌이", "개최자", "주최자"),
        guest_markers=("게스트", "외부", "확인되지 않음"),
    ),
)

BY_CODE = {language.code: language for language in LANGUAGES}
MAX_COLUMN_NAME = 60  # longer than any column name of any language

# The code page a spreadsheet of that language's country saves "CSV" in (Excel's ANSI code page).
CODE_PAGES = {
    "en": "cp1252", "fr": "cp1252", "es": "cp1252", "de": "cp1252", "it": "cp1252", "pt": "cp1252", "nl": "cp1252",
    "id": "cp1252", "pl": "cp1250", "ru": "cp1251", "ar": "cp1256", "tr": "cp1254", "ja": "cp932", "zh-hans": "gb18030",
    "zh-hant": "cp950", "ko": "cp949",
}


def _index() -> dict[str, tuple[str, frozenset[str]]]:
    """Folded column name → (kind, the languages that use it). `full_name` is a `name`."""
    index: dict[str, tuple[str, set[str]]] = {}
    for language in LANGUAGES:
        columns = dict(language.columns)
        if language.code == "en":
            for kind, names in LIVE_EVENTS.items():
                columns[kind] = (*columns.get(kind, ()), *names)
        for kind, names in columns.items():
            kind = "name" if kind == "full_name" else kind
            for name in names:
                known_kind, codes = index.setdefault(fold(name), (kind, set()))
                if known_kind != kind:
                    raise ValueError(f"{name!r} is both {known_kind} and {kind}")
                codes.add(language.code)
    return {key: (kind, frozenset(codes)) for key, (kind, codes) in index.items()}


COLUMNS = _index()
SECTION_TITLES = frozenset(fold(title) for language in LANGUAGES for title in language.sections)
ORGANIZER_ROLES = frozenset(fold(role) for language in LANGUAGES for role in language.organizer)
GUEST_MARKERS = frozenset(fold(marker) for language in LANGUAGES for marker in language.guest_markers)
NUMBERED_TITLE = re.compile(r"^\s*\d{1,2}\s*[.)]\s*\S")


def expected_columns(language_code: str | None) -> tuple[list[str], list[str]]:
    """The columns a participants' header has, as Teams writes them in this language (or in
    English when Teams' words for it are not known): the current layout's (Name, Email), and
    the older layout's (Full Name, User Action, Timestamp)."""
    code = (language_code or "en").lower()
    language = BY_CODE.get(code) or BY_CODE.get(code.split("-")[0]) or BY_CODE["en"]
    current = [language.columns[kind][0] for kind in ("name", "email", "upn", "role")]
    old = [language.columns[kind][0] for kind in ("full_name", "action", "timestamp")]
    return current, old
