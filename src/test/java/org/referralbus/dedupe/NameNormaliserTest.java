package org.referralbus.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameNormaliserTest {

    @Test
    void cyrillicAndLatinSpellingsOfOneNameAgree() {
        assertThat(NameNormaliser.name("Саидова")).isEqualTo(NameNormaliser.name("Saidova"))
                .isEqualTo(NameNormaliser.name(" SAYIDOVA ")).isEqualTo("saidov");
        assertThat(NameNormaliser.name("Нигина")).isEqualTo(NameNormaliser.name("nigina"));
    }

    @Test
    void tajikLettersAndTheirRussianAndLatinRenderingsAgree() {
        // ҳ/х/h/kh/x, қ/к/q/k, ғ/г/gh/g, ҷ/дж/j/dzh/dj, ӣ/и/i, ӯ/у/u
        assertThat(NameNormaliser.name("Раҳимова")).isEqualTo(NameNormaliser.name("Рахимова"))
                .isEqualTo(NameNormaliser.name("Rahimova")).isEqualTo(NameNormaliser.name("Rakhimova"))
                .isEqualTo(NameNormaliser.name("Raximova"));
        assertThat(NameNormaliser.name("Қодиров")).isEqualTo(NameNormaliser.name("Кодиров")).isEqualTo(NameNormaliser.name("Qodirov"));
        assertThat(NameNormaliser.name("Ғафуров")).isEqualTo(NameNormaliser.name("Гафуров")).isEqualTo(NameNormaliser.name("Ghafurov"));
        assertThat(NameNormaliser.name("Ҷамшед")).isEqualTo(NameNormaliser.name("Джамшед")).isEqualTo(NameNormaliser.name("Dzhamshed"))
                .isEqualTo(NameNormaliser.name("Djamshed")).isEqualTo(NameNormaliser.name("Jamshed"));
        assertThat(NameNormaliser.name("Ҷӯраев")).isEqualTo(NameNormaliser.name("Джураев")).isEqualTo(NameNormaliser.name("Juraev"));
        assertThat(NameNormaliser.patronymic("Қурбоналӣ")).isEqualTo(NameNormaliser.patronymic("Курбоналиевна"))
                .isEqualTo(NameNormaliser.patronymic("Kurbonalievna"));
    }

    @Test
    void doubledLettersGenderedEndingsAndZadeAreFolded() {
        assertThat(NameNormaliser.name("Муҳаммад")).isEqualTo(NameNormaliser.name("Muhamad"));
        assertThat(NameNormaliser.name("Раҳимзода")).isEqualTo(NameNormaliser.name("Rahimzade"));
        assertThat(NameNormaliser.name("Каримова")).isEqualTo(NameNormaliser.name("Каримов"));
    }

    @Test
    void skeletonToleratesVowelVariantsOnly() {
        assertThat(NameNormaliser.skeleton(NameNormaliser.name("Нозанин")))
                .isEqualTo(NameNormaliser.skeleton(NameNormaliser.name("Nazanin")));
        assertThat(NameNormaliser.skeleton(NameNormaliser.name("Мадина")))
                .isNotEqualTo(NameNormaliser.skeleton(NameNormaliser.name("Мунира")));
    }

    @Test
    void aLatinLetterTypedInsideACyrillicNameIsReadAsItsCyrillicLookalike() {
        assertThat(NameNormaliser.spelling("Нигинa")).isEqualTo(NameNormaliser.spelling("Нигина")).isEqualTo("nigina");
        assertThat(NameNormaliser.spelling("Сaидoва")).isEqualTo(NameNormaliser.spelling("Саидова"));
        assertThat(NameNormaliser.spelling("Parvina")).as("a Latin name is left alone").isEqualTo("parvina");
    }

    @Test
    void spellingKeepsTheGenderedEndingButFoldsZade() {
        assertThat(NameNormaliser.spelling("Сабина")).isEqualTo("sabina");
        assertThat(NameNormaliser.spelling("Раҳимзаде")).isEqualTo(NameNormaliser.spelling("Rahimzoda"));
    }
}
