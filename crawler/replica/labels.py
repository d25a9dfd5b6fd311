"""The template's interface texts: the English edition's, and the Russian ones old pages kept."""

from __future__ import annotations

EN = {
    "l-yes": "Yes", "l-no": "No", "l-enter": "Enter", "l-cancel": "Cancel", "l-save": "Save",
    "l-delete": "Delete", "l-loading": "Loading. Please wait...", "l-quick-edit": "Quick edit",
    "l-full-edit": "Full edit", "l-del-agree": "Are you sure you want to delete this comment?",
    "l-search": "Search...", "l-find": "Find", "l-login": "Login", "l-popular": "Popular",
    "l-last-comments": "Latest comments", "l-contacts": "Contacts", "l-rules": "Rules",
    "l-copyright": "All rights reserved. Reprinting of materials is allowed only with an active hyperlink "
                   "to the source. The opinion of the authors may not coincide with the position of the editors.",
    "l-tags": "Tags:", "l-share": "Share:", "l-info": "Information",
    "l-dear-reader": "Dear reader, to leave comments on the publication, you must",
    "l-sign-in": "sign in", "l-reply": "Reply", "l-deleted": "Comment deleted by moderator.",
    "l-next": "Next", "l-prev": "Previous", "l-photos": "Used photos:",
}  # fmt: skip

RU = {
    "l-yes": "Да", "l-no": "Нет", "l-enter": "Ввод", "l-cancel": "Отмена", "l-save": "Сохранить",
    "l-delete": "Удалить", "l-loading": "Загрузка. Пожалуйста, подождите...", "l-quick-edit": "Быстрое редактирование",
    "l-full-edit": "Полное редактирование", "l-del-agree": "Вы действительно хотите удалить этот комментарий?",
    "l-search": "Поиск...", "l-find": "Найти", "l-login": "Вход", "l-popular": "Популярное",
    "l-last-comments": "Последние комментарии", "l-contacts": "Контакты", "l-rules": "Правила",
    "l-copyright": "Все права защищены. Перепечатка материалов разрешена только с активной ссылкой на источник.",
    "l-tags": "Теги:", "l-share": "Поделиться:", "l-info": "Информация",
    "l-dear-reader": "Уважаемый читатель, чтобы оставлять комментарии к публикации, необходимо",
    "l-sign-in": "авторизоваться", "l-reply": "Ответить", "l-deleted": "Комментарий удалён модератором.",
    "l-next": "Далее", "l-prev": "Назад", "l-photos": "Использованы фотографии:",
}  # fmt: skip

LABELS = {"en": EN, "ru": RU}


def comments_title(count: int, lang: str) -> str:
    """ "2 comments" / "5 комментариев"."""
    if lang == "ru":
        if count % 10 == 1 and count % 100 != 11:
            word = "комментарий"
        elif 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
            word = "комментария"
        else:
            word = "комментариев"
        return f"{count} {word}"
    return f"{count} comment" if count == 1 else f"{count} comments"


RU_SECTIONS = {"news": "Новости", "armament": "Вооружение", "history": "История", "opinions": "Мнения",
               "analytics": "Аналитика", "blogs": "Блоги"}  # fmt: skip
