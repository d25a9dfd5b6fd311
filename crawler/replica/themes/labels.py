"""The interface words of the engine themes: DLE's English and Russian language files, in the words they use."""

from __future__ import annotations

EN = {
    "l-search": "Search...", "l-find": "Find", "l-login": "Log in", "l-more": "Read more", "l-on": "on",
    "l-views": "Views", "l-comments": "Comments", "l-quote": "Quote", "l-reply": "Reply",
    "l-prev-page": "Previous page", "l-next-page": "Next page", "l-add-comment": "Add a comment",
    "l-name": "Name", "l-send": "Send", "l-tags": "Tags", "l-page": "Page", "l-info": "Information",
    "l-user": "User", "l-group": "Group", "l-registered": "Registered", "l-publications": "Publications",
    "l-copyright": "All rights reserved.", "l-full-version": "Full version of the site",
    "l-deleted": "Comment deleted by moderator.",
    "l-not-found": "Unfortunately, the requested page was not found. Perhaps it has been deleted or moved.",
    "l-search-results": "Search results", "l-banner": "Military Review in Telegram: subscribe",
    "l-dear-reader": "Dear reader, to leave comments on the publication, you must", "l-sign-in": "sign in",
    "l-editors": "Journalists", "l-visitors": "Visitors",
}  # fmt: skip

RU = {
    "l-search": "Поиск по сайту...", "l-find": "Найти", "l-login": "Войти", "l-more": "Подробнее", "l-on": "от",
    "l-views": "Просмотров", "l-comments": "Комментарии", "l-quote": "Цитировать", "l-reply": "Ответить",
    "l-prev-page": "Предыдущая страница", "l-next-page": "Следующая страница",
    "l-add-comment": "Добавить комментарий", "l-name": "Ваше имя", "l-send": "Отправить", "l-tags": "Теги",
    "l-page": "Страница", "l-info": "Информация", "l-user": "Пользователь", "l-group": "Группа",
    "l-registered": "Дата регистрации", "l-publications": "Публикаций", "l-copyright": "Все права защищены.",
    "l-full-version": "Полная версия сайта", "l-deleted": "Комментарий удалён модератором.",
    "l-not-found": "К сожалению, данная страница для Вас не доступна, возможно, был изменен ее адрес или она была "
                   "удалена. Пожалуйста, воспользуйтесь поиском.",
    "l-search-results": "Результаты поиска", "l-banner": "Подписывайтесь на наш канал в Telegram",
    "l-dear-reader": "Уважаемый читатель, чтобы оставлять комментарии к публикации, необходимо",
    "l-sign-in": "авторизоваться", "l-editors": "Журналисты", "l-visitors": "Посетители",
}  # fmt: skip

LABELS = {"en": EN, "ru": RU}


def comments_heading(count: int, lang: str) -> str:
    """The words of a comment count: "2 comments", "5 комментариев"."""
    if lang == "ru":
        if count % 10 == 1 and count % 100 != 11:
            return f"{count} комментарий"
        if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
            return f"{count} комментария"
        return f"{count} комментариев"
    return f"{count} comment" if count == 1 else f"{count} comments"
