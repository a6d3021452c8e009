"""Name seeds in Latin script: Somali (official orthography) and Vietnamese.

Somali names are written in the 1972 Somali orthography (C for ʿayn, X for ḥ, doubled long
vowels: Maxamed, Cabdullaahi), ordered from common to rare as far as naming practice shows
(Islamic names — Maxamed, Axmed, Cali, Cabdi… — lead; the tail order is approximate).
Somalis have no inherited family name: the document's surname is the father's and
grandfather's given names, drawn from the men's names.

Vietnamese family names are few and concentrated; their weights are the published shares
of the population (a survey cited in most references: Nguyễn ~38 %, Trần ~11–12 %,
Lê ~9.5 %, Phạm ~7 %, Hoàng/Huỳnh ~5 %, Phan ~4.5 %, Vũ/Võ ~3.9 %, Đặng ~2.1 %,
Bùi ~2 %, Đỗ ~1.4 %, Hồ ~1.3 %, Ngô ~1.3 %, Dương ~1 %, Lý ~0.5 %; the remaining
~8.5 % is spread over the rarer names in rank order). Middle names are gendered in
practice (Văn for men and Thị for women lead, followed by the modern Đức, Minh, Ngọc…);
given names are ranked from common to rare as far as naming practice shows.
"""

from __future__ import annotations

SO_MALE: tuple[str, ...] = (
    "Maxamed", "Cabdullaahi", "Axmed", "Cali", "Cabdi", "Xasan", "Cumar", "Yuusuf", "Ibraahim",
    "Xuseen", "Maxamuud", "Faarax", "Cismaan", "Aadan", "Ismaaciil", "Cabdiraxmaan",
    "Cabdiqaadir", "Muuse", "Siciid", "Jaamac", "Nuur", "Warsame", "Mustafe", "Shariif",
    "Cabdirashiid", "Cabdikariim", "Cabdulqaadir", "Cabdinaasir", "Cabdiwali", "Cabdisalaan",
    "Cabdicasiis", "Khaalid", "Daahir", "Bashiir", "Jibriil", "Xirsi", "Guuleed", "Geedi",
    "Barre", "Samatar", "Yaasiin", "Abshir", "Liibaan", "Mahad", "Mukhtaar", "Nuux", "Qaasim",
    "Rooble", "Sharmaarke", "Shire", "Siyaad", "Xamse", "Yoonis", "Sakariye", "Ciise",
    "Diiriye", "Ducaale", "Cilmi", "Cigaal", "Cawil", "Carab", "Faysal", "Galaal", "Haybe",
    "Hiraad", "Jimcaale", "Kaahin", "Kulmiye", "Madar", "Magan", "Mire", "Nageeye", "Odowaa",
    "Raage", "Sugaal", "Waabari", "Xaaji", "Xamar", "Aweys", "Bile", "Buux", "Caydiid",
    "Dalmar", "Dhuux", "Gaas", "Gurey", "Idiris", "Kaariye", "Lixle", "Nasir", "Qalinle",
    "Saalax", "Saciid", "Subeer", "Suldaan", "Tahliil", "Timacadde", "Uweys", "Yaxye",
    "Zakariye", "Cabdillaahi", "Bootaan", "Deeq", "Ilyaas", "Jaylani", "Mowliid",
)  # fmt: skip

SO_FEMALE: tuple[str, ...] = (
    "Faadumo", "Xaawo", "Caasha", "Maryan", "Hodan", "Sahra", "Ifrah", "Nimco", "Ayaan", "Hibo",
    "Ubax", "Deeqa", "Sucaad", "Khadra", "Ladan", "Idil", "Fowsiya", "Sagal", "Hamdi", "Ruqiya",
    "Safiya", "Shukri", "Sacdiya", "Xamdi", "Yasmiin", "Zamzam", "Qamar", "Nasra", "Najma",
    "Muna", "Maano", "Layla", "Kaltuun", "Istar", "Xaliimo", "Hinda", "Filsan", "Farhiya",
    "Dahabo", "Canab", "Cawo", "Bilan", "Anisa", "Aamina", "Asli", "Bisharo", "Ebyan", "Falis",
    "Fardowsa", "Haboon", "Hani", "Kowsar", "Luul", "Magool", "Marwo", "Nuura", "Raxma",
    "Sabirin", "Saynab", "Shamso", "Cadar", "Ardo", "Barni", "Degan", "Fahmo", "Ilhaan",
    "Jamila", "Khadiija", "Mako", "Naciima", "Qaali", "Samsam", "Sacda", "Sumaya", "Waris",
    "Yurub", "Amran", "Basra", "Cibaado", "Deka", "Fatxiya", "Hodo", "Iqra", "Kiin", "Libin",
    "Mulki", "Nafiso", "Roda", "Sadiya", "Ugbaad",
)  # fmt: skip

VN_FAMILY: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.1),
    ("Huỳnh", 2.0), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5),
)  # fmt: skip
VN_FAMILY_RARE_SHARE = 8.5  # percent of the population, spread over VN_FAMILY_RARE by rank
VN_FAMILY_RARE: tuple[str, ...] = (
    "Đào", "Đoàn", "Vương", "Trịnh", "Trương", "Lâm", "Phùng", "Mai", "Tô", "Hà", "Tạ", "Cao",
    "Quách", "Lương", "Đinh", "Lưu", "Kiều", "Thái", "Châu", "La", "Hứa", "Chu", "Triệu",
    "Tăng", "Khúc", "Lạc", "Mạc", "Âu", "Thân", "Tống", "Diệp", "Doãn", "Giang", "Hàn", "Khổng",
    "Lại", "Lò", "Mạnh", "Nghiêm", "Ông", "Phí", "Quan", "Sơn", "Tiêu", "Từ", "Văn", "Vi",
    "Viên", "Yên",
)  # fmt: skip

VN_MIDDLE_MALE: tuple[str, ...] = (
    "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Quốc", "Xuân", "Hoàng", "Tuấn",
    "Ngọc", "Trọng", "Thế", "Anh", "Duy", "Hải", "Mạnh", "Tiến", "Đình", "Bá", "Gia", "Tấn",
    "Nhật", "Khánh", "Phúc", "Trung", "Thành", "Việt", "Bảo",
)  # fmt: skip
VN_MIDDLE_FEMALE: tuple[str, ...] = (
    "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng", "Bảo", "Phương", "Mai", "Thúy",
    "Diệu", "Hoài", "Khánh", "Hải", "Quỳnh", "Thảo", "Tuyết", "Mỹ", "Bích", "Cẩm", "Lan", "Như",
    "Vân", "Xuân", "Hà", "Yến", "Gia", "Trúc", "Ánh",
)  # fmt: skip

VN_MALE: tuple[str, ...] = (
    "Anh", "Minh", "Hùng", "Dũng", "Tuấn", "Nam", "Hưng", "Hoàng", "Long", "Thắng", "Hải",
    "Sơn", "Cường", "Phong", "Quân", "Huy", "Đức", "Tú", "Khoa", "Trung", "Quang", "Phúc",
    "Bình", "Thành", "Tâm", "Hiếu", "Vinh", "Toàn", "Tùng", "Hòa", "Thịnh", "Lâm", "Khánh",
    "Duy", "Hiển", "Hậu", "Tài", "Lộc", "Thiện", "Đạt", "Nghĩa", "Kiên", "Tiến", "Mạnh", "Trí",
    "Thái", "Việt", "Bảo", "Khải", "Nhân", "Phát", "Quý", "Tín", "Vũ", "Sang", "Thuận", "Tân",
    "Hào", "Luân", "Lực", "Chiến", "Công", "Cảnh", "Danh", "Định", "Đông", "Giang", "Hiệp",
    "Kha", "Khang", "Khôi", "Lợi", "Lượng", "Nguyên", "Nhật", "Phương", "Quốc", "Tạo", "Thạch",
    "Thanh", "Thông", "Thức", "Trọng", "Trường", "Tuệ", "Tư", "Vĩnh", "Vương", "Xuân", "Đăng",
    "Hiệu", "Hoan", "Kỳ", "Lập", "Ninh", "Pháp", "Quyết", "Sỹ", "Thăng", "Toản", "Trực",
    "Tường", "Uy", "Vỹ",
)  # fmt: skip

VN_FEMALE: tuple[str, ...] = (
    "Linh", "Trang", "Hương", "Lan", "Mai", "Ngọc", "Thảo", "Hà", "Anh", "Huyền", "Phương",
    "Hạnh", "Thủy", "Hoa", "Hằng", "Nhung", "Yến", "Vy", "Nga", "Loan", "Thu", "Dung", "Hồng",
    "Tâm", "Trâm", "Quyên", "Vân", "Hiền", "Nhi", "Diệp", "Chi", "Duyên", "Giang", "Hân",
    "Khánh", "Kim", "Liên", "Ly", "My", "Nguyệt", "Nhàn", "Như", "Oanh", "Phượng", "Quỳnh",
    "Tiên", "Trinh", "Tuyết", "Uyên", "Xuân", "Ánh", "Bích", "Cúc", "Đào", "Điệp", "Hạ", "Hoài",
    "Huệ", "Lệ", "Lụa", "Mến", "Minh", "Mơ", "Sen", "Thắm", "Thanh", "Thúy", "Thư", "Thương",
    "Tuyền", "Vi", "Châu", "Diễm", "Gấm", "Hậu", "Hiên", "Hòa", "Hợp", "Khuê", "Lài", "Lam",
    "Lành", "Mận", "Mỹ", "Nương", "Phấn", "Son", "Tơ", "Trà", "Tú", "Vui", "Xoan", "Yên", "Bảo",
    "Đan", "Hảo", "Kiều", "Ngân", "Thoa",
)  # fmt: skip

SEEDS_LATIN: dict[str, dict[str, tuple[str, ...]]] = {
    "so": {"male": SO_MALE, "female": SO_FEMALE, "surname": ()},
}
