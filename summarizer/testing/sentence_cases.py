"""Hand-written paragraphs and the sentences a careful reader sees in them.

Abbreviations, dotted ordinals, initials, quotations and full stops of other scripts, in en, de,
fr, es, it, pt, ru, hi, ja and zh (``SENTENCE_CASES``); Thai and Lao paragraphs, which mark no
sentence end (``SPACED_SCRIPT_PARAGRAPHS``). Written for the project, not taken from any dev
page. One list for two users each: ``benchmarks/sentence_splitters.py`` and
``benchmarks/thai_sentences.py`` score every candidate splitter on them (docs/sentence-splitting.md,
docs/sentence-splitting-thai.md), and ``tests/summarizer/text/test_sentences.py`` and
``test_sentences_scripts.py`` assert what the shipped ``split_sentences`` gets right.
"""

from __future__ import annotations

# (language, paragraph, the sentences a careful reader sees)
SENTENCE_CASES: list[tuple[str, str, list[str]]] = [
    (
        "en",
        "Dr. Smith met Mr. Jones at 5 p.m. on Jan. 5. They talked.",
        ["Dr. Smith met Mr. Jones at 5 p.m. on Jan. 5.", "They talked."],
    ),
    (
        "en",
        "J. K. Rowling wrote it. The U.S. Senate voted on it.",
        ["J. K. Rowling wrote it.", "The U.S. Senate voted on it."],
    ),
    (
        "en",
        "He said: 'I am pleased. It is exciting.' Then he left.",
        ["He said: 'I am pleased.", "It is exciting.'", "Then he left."],
    ),
    (
        "de",
        "Am 12. Bis 13. September startet das Festival. Es kommen viele Gäste.",
        ["Am 12. Bis 13. September startet das Festival.", "Es kommen viele Gäste."],
    ),
    (
        "de",
        "Dr. Müller sagt, z. B. die 3. Auflage sei größer. Das ist neu.",
        ["Dr. Müller sagt, z. B. die 3. Auflage sei größer.", "Das ist neu."],
    ),
    (
        "de",
        "Er belegte Platz 3. Danach ging er nach Hause.",
        ["Er belegte Platz 3.", "Danach ging er nach Hause."],
    ),
    (
        "de",
        "Vom 1. bis 4. Oktober ist Prof. Weber in Wien. Er hält ca. zehn Vorträge.",
        ["Vom 1. bis 4. Oktober ist Prof. Weber in Wien.", "Er hält ca. zehn Vorträge."],
    ),
    (
        "fr",
        "M. Dupont est arrivé le 1er janvier. Il a dit : « C'est fini ! » Puis il est parti.",
        [
            "M. Dupont est arrivé le 1er janvier.",
            "Il a dit : « C'est fini ! »",
            "Puis il est parti.",
        ],
    ),
    (
        "fr",
        "Mme Martin et le Dr Petit sont là. Ils parlent.",
        ["Mme Martin et le Dr Petit sont là.", "Ils parlent."],
    ),
    (
        "es",
        "El Sr. García llegó el 5 de mayo. Dijo que sí. La Dra. López no vino.",
        ["El Sr. García llegó el 5 de mayo.", "Dijo que sí.", "La Dra. López no vino."],
    ),
    (
        "it",
        "Il dott. Rossi è arrivato ieri. Poi è partito per Roma.",
        ["Il dott. Rossi è arrivato ieri.", "Poi è partito per Roma."],
    ),
    (
        "pt",
        "O Sr. Silva chegou no dia 3. Depois saiu. A Dra. Costa ficou.",
        ["O Sr. Silva chegou no dia 3.", "Depois saiu.", "A Dra. Costa ficou."],
    ),
    (
        "ru",
        "Проф. Иванов выступил в Москве. Её посетили т. е. около десяти человек. Это рекорд.",
        [
            "Проф. Иванов выступил в Москве.",
            "Её посетили т. е. около десяти человек.",
            "Это рекорд.",
        ],
    ),
    ("ru", "Он живёт на ул. Ленина. Там тихо.", ["Он живёт на ул. Ленина.", "Там тихо."]),
    (
        "ru",
        "Выставка пройдёт в г. Москве. Он родился в 1990 г. Затем переехал.",
        ["Выставка пройдёт в г. Москве.", "Он родился в 1990 г.", "Затем переехал."],
    ),
    (
        "hi",
        "प्रधानमंत्री ने कहा कि देश आगे बढ़ रहा है। उन्होंने योजना की घोषणा की।",
        ["प्रधानमंत्री ने कहा कि देश आगे बढ़ रहा है।", "उन्होंने योजना की घोषणा की।"],
    ),
    (
        "ja",
        "東京都は12日、感染者を確認した。これは過去最多だ。専門家は「注意が必要」と述べた。",
        [
            "東京都は12日、感染者を確認した。",
            "これは過去最多だ。",
            "専門家は「注意が必要」と述べた。",
        ],
    ),
    (
        "zh",
        "今天北京天气很好。我们去公园散步了！你呢？",
        ["今天北京天气很好。", "我们去公园散步了！", "你呢？"],
    ),
]

# Thai and Lao news paragraphs, which mark no sentence end: (language, the sentences of the
# paragraph), joined with one space to make it. ``benchmarks/thai_sentences.py`` scores the
# candidates on them, ``tests/summarizer/text/test_sentences_scripts.py`` the shipped splitter.
SPACED_SCRIPT_PARAGRAPHS: list[tuple[str, list[str]]] = [
    (
        "th",
        [
            "กรมอุตุนิยมวิทยาประกาศเตือนประชาชนในภาคเหนือให้เตรียมรับมือกับอากาศหนาวจัดในสัปดาห์หน้า",
            "อุณหภูมิบนยอดดอยอาจลดลงต่ำกว่าศูนย์องศาเซลเซียส",
            "เจ้าหน้าที่ขอให้ผู้สูงอายุและเด็กเล็กสวมเสื้อผ้าที่อบอุ่น และหลีกเลี่ยงการออกนอกบ้านในตอนเช้ามืด",
            "เมื่อวันจันทร์ที่ผ่านมา จังหวัดเชียงรายได้เปิดศูนย์ช่วยเหลือผู้ประสบภัยหนาวแล้วสามแห่ง",
            "นักท่องเที่ยวจำนวนมากเดินทางไปชมทะเลหมอกที่อุทยานแห่งชาติดอยอินทนนท์",
            "ผู้ประกอบการรีสอร์ตกล่าวว่า ห้องพักเต็มแล้วจนถึงสิ้นเดือนธันวาคม",
        ],
    ),
    (
        "th",
        [
            "ธนาคารแห่งประเทศไทยมีมติคงอัตราดอกเบี้ยนโยบายไว้ที่ร้อยละสองจุดห้า",
            "คณะกรรมการนโยบายการเงินเห็นว่าเศรษฐกิจยังฟื้นตัวได้ดีแม้จะมีความเสี่ยงจากต่างประเทศ",
            "นักวิเคราะห์หลายคนคาดว่า ธนาคารอาจลดดอกเบี้ยลงในการประชุมครั้งหน้า",
            "ค่าเงินบาทแข็งค่าขึ้นเล็กน้อยหลังการประกาศของธนาคาร",
            "ในปี 2567 รัฐบาลตั้งเป้าการเติบโตทางเศรษฐกิจไว้ที่ร้อยละสาม",
        ],
    ),
    (
        "th",
        [
            "ทีมชาติไทยเอาชนะทีมชาติเวียดนามไปด้วยสกอร์สองต่อหนึ่งเมื่อคืนนี้",
            "ประตูชัยเกิดขึ้นในนาทีที่แปดสิบเจ็ด หลังจากกองหน้าโหม่งบอลเข้าไปอย่างสวยงาม",
            "แฟนบอลหลายหมื่นคนร่วมฉลองชัยชนะบนถนนในกรุงเทพฯ",
            "โค้ชกล่าวว่า นักเตะทุกคนทุ่มเทอย่างเต็มที่และสมควรได้รับชัยชนะครั้งนี้",
        ],
    ),
    (
        "lo",
        [
            "ກົມອຸຕຸນິຍົມວິທະຍາໄດ້ແຈ້ງເຕືອນປະຊາຊົນໃນພາກເໜືອໃຫ້ກຽມຮັບມືກັບອາກາດໜາວ",
            "ອຸນຫະພູມໃນເຂດພູສູງອາດຈະຫຼຸດລົງຕໍ່າກວ່າສິບອົງສາ",
            "ເຈົ້າໜ້າທີ່ແນະນຳໃຫ້ຜູ້ສູງອາຍຸນຸ່ງເຄື່ອງໃຫ້ອົບອຸ່ນ ແລະ ຫຼີກລ່ຽງການອອກນອກເຮືອນໃນຕອນເຊົ້າ",
        ],
    ),
]
