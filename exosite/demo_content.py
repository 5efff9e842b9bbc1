"""Demo content for Exosite: FAQ topics, glossary terms, articles and FAQ entries.

Plain data, no Django imports. A loader turns these structures into model instances.

Editorial notes:
- Written afresh in a careful, evidence-based voice. It says what is established, what is
  preclinical and what is experimental, and it never presents unapproved products as
  treatments.
- Every reference is a real publication or an official web page. A PMID is left empty
  where it could not be confirmed; no identifier has been guessed.
- Article bodies cite references by position as [1], [2, 3] or [4–6].
- Markdown only, no raw HTML. The glossary auto-linker links terms from their names,
  aliases and abbreviations; [[cross-links]] point at other articles, terms and questions
  where a sentence invites the reader to follow them.
"""

# ---------------------------------------------------------------------------
# FAQ topics
# ---------------------------------------------------------------------------

TOPICS = [
    {
        "slug": "basics",
        "name": "Exosome basics",
        "description": "What exosomes and other extracellular vesicles are, and what they carry.",
        "position": 1,
    },
    {
        "slug": "sources-and-methods",
        "name": "Sources and lab methods",
        "description": "Where researchers obtain vesicles and how they isolate and check them.",
        "position": 2,
    },
    {
        "slug": "treatments-and-evidence",
        "name": "Treatments and evidence",
        "description": "What research has and has not shown about exosomes as treatments.",
        "position": 3,
    },
    {
        "slug": "safety-and-regulation",
        "name": "Safety and regulation",
        "description": "Approval status, known risks and what to ask before any treatment.",
        "position": 4,
    },
]

# ---------------------------------------------------------------------------
# Glossary terms
# ---------------------------------------------------------------------------

TERMS = [
    {
        "name": "Adipose tissue",
        "slug": "adipose-tissue",
        "abbreviation": "",
        "aliases": ["body fat", "fat tissue"],
        "short_definition": (
            "Body fat tissue. It contains mesenchymal stem cells that can be grown in the "
            "laboratory and used as a source of extracellular vesicles."
        ),
        "definition": """Adipose tissue is the body's fat tissue. Besides fat cells, it contains
blood vessels, immune cells and a population of **mesenchymal stem cells** (often called
adipose-derived stem or stromal cells).

Because fat can be collected in large amounts, for example from liposuction, it is a popular
research source of cells and of the extracellular vesicles they release. Vesicles from
adipose-derived cells are not interchangeable with those from other tissues, and products
derived from fat are not approved treatments for most conditions.
""",
        "related": ["mesenchymal-stem-cell", "bone-marrow"],
        "tags": ["sources"],
    },
    {
        "name": "Amniotic membrane",
        "slug": "amniotic-membrane",
        "abbreviation": "",
        "aliases": ["amnion"],
        "short_definition": (
            "The thin innermost layer of the membranes around a baby in the womb, usually "
            "collected from a donated placenta after birth."
        ),
        "definition": """The amniotic membrane (amnion) is the innermost layer of the sac that
surrounds a developing baby. After birth it can be donated with the placenta.

Amniotic membrane has a long history in wound and eye care as a biological dressing. Cells
grown from it, including epithelial and mesenchymal cells, are also studied as a source of
extracellular vesicles. Research use is at an early stage.
""",
        "related": ["umbilical-cord", "mesenchymal-stem-cell"],
        "tags": ["sources"],
    },
    {
        "name": "Antigen",
        "slug": "antigen",
        "abbreviation": "",
        "aliases": ["antigens"],
        "short_definition": (
            "A molecule, often a fragment of a protein, that the immune system can recognise "
            "as a target."
        ),
        "definition": """An antigen is any molecule that the immune system can recognise. Many
antigens are small fragments of proteins (peptides) from viruses, bacteria, tumour cells or
transplanted tissue.

**Dendritic cells** pick up antigens and present them to **T cells**, which can then mount
a targeted response. Exosomes from dendritic cells can carry antigen fragments on their
surface, which is why they have been tested as cancer vaccines.
""",
        "related": ["t-cell", "dendritic-cell", "immunogenicity"],
        "tags": ["immunology"],
    },
    {
        "name": "Apoptotic body",
        "slug": "apoptotic-body",
        "abbreviation": "",
        "aliases": ["apoptotic bodies"],
        "short_definition": (
            "A relatively large extracellular vesicle released when a cell dies by apoptosis, "
            "a controlled form of cell death."
        ),
        "definition": """Apoptotic bodies are membrane-enclosed fragments that form when a cell
dismantles itself by apoptosis (programmed cell death). They are usually larger than
exosomes, often around a micrometre or more across, and may contain pieces of the nucleus
and other organelles.

They are one of several kinds of **extracellular vesicle**. Because their size overlaps with
other vesicles, they can contaminate preparations described as exosomes.
""",
        "related": ["extracellular-vesicle", "microvesicle"],
        "tags": ["biology"],
    },
    {
        "name": "Blood-brain barrier",
        "slug": "blood-brain-barrier",
        "abbreviation": "BBB",
        "aliases": ["blood brain barrier", "blood–brain barrier"],
        "short_definition": (
            "The tightly sealed lining of the brain's blood vessels, which keeps most "
            "substances in the blood from entering brain tissue."
        ),
        "definition": """The blood-brain barrier is formed by the cells lining the brain's
small blood vessels, which are joined by tight junctions and supported by surrounding cells.
It protects the brain but also blocks most medicines.

Whether extracellular vesicles cross it is an active research question. Engineered exosomes
have delivered genetic material to the brain in mice, but there is no evidence that
commercially sold exosome products cross the human barrier in useful amounts.
""",
        "related": ["neurogenesis", "exosome"],
        "tags": ["neurology"],
    },
    {
        "name": "Bone marrow",
        "slug": "bone-marrow",
        "abbreviation": "",
        "aliases": [],
        "short_definition": (
            "The soft tissue inside bones that makes blood cells. It is the original source "
            "of mesenchymal stem cells used in research."
        ),
        "definition": """Bone marrow fills the cavities of many bones. It contains
**hematopoietic stem cells**, which make all blood cells, and a smaller population of
**mesenchymal stem cells**, which support the marrow environment.

Bone marrow was the first tissue from which mesenchymal stem cells were grown, and vesicles
from bone marrow cells remain among the best studied. Collecting marrow requires a needle
procedure, usually from the hip bone.
""",
        "related": ["mesenchymal-stem-cell", "cd34-stem-cell", "hematopoietic-stem-cell"],
        "tags": ["sources"],
    },
    {
        "name": "CD34+ stem cell",
        "slug": "cd34-stem-cell",
        "abbreviation": "",
        "aliases": ["CD34+ stem cells", "CD34+ cells", "CD34+ cell", "CD34-positive cell"],
        "short_definition": (
            "A blood-forming stem or progenitor cell identified by the CD34 protein on its "
            "surface, found in bone marrow, cord blood and blood."
        ),
        "definition": """CD34 is a protein found on the surface of blood-forming
(hematopoietic) stem and progenitor cells and on some other cells. CD34+ cells can be
collected from bone marrow, from umbilical cord blood or from the bloodstream after
medicines that move them out of the marrow.

CD34+ cells are used in established stem cell transplants for blood disorders. Vesicles
released by CD34+ cells are studied in the laboratory, for example for blood vessel growth,
but they are not an approved treatment.
""",
        "related": ["hematopoietic-stem-cell", "bone-marrow", "stem-cell"],
        "tags": ["sources"],
    },
    {
        "name": "CD63",
        "slug": "cd63",
        "abbreviation": "",
        "aliases": ["CD63 protein"],
        "short_definition": (
            "A tetraspanin protein found on late endosomes and on many extracellular "
            "vesicles, widely used as a vesicle marker."
        ),
        "definition": """CD63 is a membrane protein of the **tetraspanin** family. It is
concentrated in late endosomes and multivesicular bodies, so it is often found on exosomes.

Researchers detect CD63, together with CD9 and CD81, by western blot or antibody-based
methods to show that a sample contains vesicles. CD63 is not present on every exosome and
is not unique to exosomes, so it is used alongside other markers.
""",
        "related": ["tetraspanin", "western-blot", "immunoaffinity-capture"],
        "tags": ["isolation", "biology"],
    },
    {
        "name": "Chronic obstructive pulmonary disease",
        "slug": "chronic-obstructive-pulmonary-disease",
        "abbreviation": "COPD",
        "aliases": ["chronic obstructive lung disease"],
        "short_definition": (
            "A long-term lung condition, usually caused by smoking, that narrows the airways "
            "and damages the air sacs, making it hard to breathe."
        ),
        "definition": """COPD includes chronic bronchitis and emphysema. It causes
breathlessness, cough and flare-ups, and it is managed with stopping smoking, inhaled
medicines, pulmonary rehabilitation and, for some people, oxygen.

Extracellular vesicles from mesenchymal stem cells have been studied in animal models of
lung injury. **No exosome treatment has been shown to work for COPD in people**, and none is
approved. People with COPD should keep to the treatment plan agreed with their care team.
""",
        "related": ["pulmonary-fibrosis"],
        "tags": ["lung"],
    },
    {
        "name": "Dendritic cell",
        "slug": "dendritic-cell",
        "abbreviation": "DC",
        "aliases": ["dendritic cells"],
        "short_definition": (
            "An immune cell that captures antigens and presents them to T cells, starting "
            "targeted immune responses."
        ),
        "definition": """Dendritic cells are named for their branch-like projections. They sit
in tissues such as skin and the lining of the gut and lungs, sample their surroundings, and
carry antigens to lymph nodes, where they activate **T cells**.

Dendritic cells release exosomes that carry antigen-presenting molecules. In the late 1990s
these vesicles controlled tumours in mice, which led to early-phase cancer vaccine trials.
Dendritic cell exosome vaccines remain experimental.
""",
        "related": ["immature-dendritic-cell", "antigen", "t-cell", "immunotherapy"],
        "tags": ["immunology", "cancer"],
    },
    {
        "name": "Dental pulp",
        "slug": "dental-pulp",
        "abbreviation": "",
        "aliases": ["tooth pulp"],
        "short_definition": (
            "The soft living tissue inside a tooth. It contains stem cells that researchers "
            "grow as a source of extracellular vesicles."
        ),
        "definition": """Dental pulp is the soft core of a tooth, containing nerves, blood
vessels and connective tissue. It includes dental pulp stem cells, which resemble
mesenchymal stem cells.

Pulp can be obtained from teeth removed for other reasons, such as wisdom teeth, so it is a
convenient research source. Vesicles from dental pulp cells are being studied in laboratory
and animal models only.
""",
        "related": ["mesenchymal-stem-cell"],
        "tags": ["sources"],
    },
    {
        "name": "Density gradient centrifugation",
        "slug": "density-gradient-centrifugation",
        "abbreviation": "",
        "aliases": ["density gradient", "density gradients"],
        "short_definition": (
            "A centrifugation method that separates particles by density in a layered "
            "solution, used to purify extracellular vesicles."
        ),
        "definition": """In density gradient centrifugation, a sample is spun in a tube
containing layers of a solution, such as sucrose or iodixanol, of increasing density. Each
particle settles where its own density matches the solution.

Vesicles can be separated in this way from many proteins and protein aggregates that pellet
alongside them in simple **ultracentrifugation**. The method gives purer preparations but is
slow and handles small volumes.
""",
        "related": ["ultracentrifugation"],
        "tags": ["isolation"],
    },
    {
        "name": "Endosome",
        "slug": "endosome",
        "abbreviation": "",
        "aliases": ["endosomes", "early endosome", "late endosome"],
        "short_definition": (
            "A membrane compartment inside the cell that receives material taken in from the "
            "cell surface and sorts it for reuse, breakdown or release."
        ),
        "definition": """Endosomes form when pieces of the cell's outer membrane fold inward
and pinch off, bringing fluid and membrane proteins inside. Early endosomes act as sorting
stations; some of their contents return to the surface.

As endosomes mature into late endosomes, they can form **intraluminal vesicles** and become
**multivesicular bodies**, the compartments from which exosomes are released.
""",
        "related": ["multivesicular-body", "intraluminal-vesicle"],
        "tags": ["biology"],
    },
    {
        "name": "Endosomal sorting complex required for transport",
        "slug": "escrt",
        "abbreviation": "ESCRT",
        "aliases": ["ESCRT machinery", "ESCRT complex", "ESCRT complexes"],
        "short_definition": (
            "A set of protein complexes that sort cargo and bend and cut membranes, helping "
            "form intraluminal vesicles inside endosomes."
        ),
        "definition": """The ESCRT machinery is made of several protein complexes (ESCRT-0,
-I, -II and -III) and helper proteins. Together they recognise tagged membrane proteins,
gather them into patches, push the membrane inward and cut off the new vesicle.

ESCRT proteins such as TSG101 and the related protein ALIX are often used as exosome
markers. Cells can also form intraluminal vesicles without ESCRT, for example through the
lipid ceramide or tetraspanin proteins.
""",
        "related": ["intraluminal-vesicle", "multivesicular-body", "tetraspanin"],
        "tags": ["biology"],
    },
    {
        "name": "Exosome",
        "slug": "exosome",
        "abbreviation": "",
        "aliases": ["exosomes"],
        "short_definition": (
            "A small extracellular vesicle, roughly 30 to 150 nanometres across, that forms "
            "inside endosomes and is released when they fuse with the cell surface."
        ),
        "definition": """An exosome is a tiny membrane-enclosed particle released by cells.
It begins as an **intraluminal vesicle** inside a **multivesicular body**; when that
compartment fuses with the plasma membrane, the vesicles are released as exosomes.

Exosomes carry proteins, lipids and RNA from their parent cell and can influence other
cells. Because they are hard to separate from other vesicles, international guidelines
recommend the broader term **extracellular vesicle** unless an endosomal origin is shown.
""",
        "related": ["extracellular-vesicle", "multivesicular-body", "intraluminal-vesicle"],
        "tags": ["biology"],
    },
    {
        "name": "Extracellular vesicle",
        "slug": "extracellular-vesicle",
        "abbreviation": "EV",
        "aliases": ["extracellular vesicles", "EVs"],
        "short_definition": (
            "Any particle released by a cell that is enclosed by a lipid membrane and cannot "
            "replicate. Exosomes are one type."
        ),
        "definition": """Extracellular vesicle is the umbrella term recommended by the
International Society for Extracellular Vesicles. It covers:

- **exosomes**, formed inside endosomes;
- **microvesicles**, which bud from the cell surface;
- **apoptotic bodies**, released by dying cells;
- other vesicles whose origin is not known.

Most real samples contain a mixture, so researchers are encouraged to describe vesicles by
measurable features such as size, density and surface proteins.
""",
        "related": ["exosome", "microvesicle", "apoptotic-body", "misev", "lipid-bilayer"],
        "tags": ["biology"],
    },
    {
        "name": "Flow cytometry",
        "slug": "flow-cytometry",
        "abbreviation": "",
        "aliases": ["flow cytometer"],
        "short_definition": (
            "A technique that measures particles one by one as they pass a laser, often "
            "after labelling them with fluorescent antibodies."
        ),
        "definition": """Flow cytometry is a standard way to count and characterise cells.
Adapted instruments, or vesicles captured on beads, can also detect surface proteins on
extracellular vesicles.

Single small vesicles give very faint signals, so results depend heavily on instrument
settings and controls. Careful reporting is needed to compare results between laboratories.
""",
        "related": ["nanoparticle-tracking-analysis", "cd63"],
        "tags": ["isolation"],
    },
    {
        "name": "Good manufacturing practice",
        "slug": "good-manufacturing-practice",
        "abbreviation": "GMP",
        "aliases": ["good manufacturing practices", "current good manufacturing practice"],
        "short_definition": (
            "Quality rules that medicines must be made under, covering facilities, "
            "processes, testing and records, so every batch is safe and consistent."
        ),
        "definition": """Good manufacturing practice is a set of quality standards enforced by
medicines regulators. It requires controlled facilities, validated processes, trained
staff, documented procedures and testing of every batch.

For extracellular vesicle products, GMP manufacture means defining the cell source, the
isolation process and tests for identity, purity, sterility and potency. Early clinical
trials have shown that GMP production of vesicles is possible but demanding.
""",
        "related": ["investigational-new-drug-application", "tangential-flow-filtration"],
        "tags": ["manufacturing", "regulation"],
    },
    {
        "name": "Hematopoietic stem cell",
        "slug": "hematopoietic-stem-cell",
        "abbreviation": "HSC",
        "aliases": [
            "hematopoietic stem cells",
            "haematopoietic stem cell",
            "blood-forming stem cell",
        ],
        "short_definition": (
            "A stem cell in the bone marrow that can make every type of blood cell. It is "
            "the basis of established stem cell transplants."
        ),
        "definition": """Hematopoietic (blood-forming) stem cells live mainly in the bone
marrow and produce red cells, white cells and platelets throughout life. Many carry the
CD34 surface protein.

Transplants of these cells are an established treatment for some blood cancers and other
blood disorders. They are one of the few stem cell treatments with well-established benefit,
and only for specific conditions.
""",
        "related": ["cd34-stem-cell", "bone-marrow", "stem-cell"],
        "tags": ["sources"],
    },
    {
        "name": "Immature dendritic cell",
        "slug": "immature-dendritic-cell",
        "abbreviation": "imDC",
        "aliases": ["immature dendritic cells", "imDCs"],
        "short_definition": (
            "A dendritic cell that has not yet been activated and shows few of the molecules "
            "needed to switch on T cells."
        ),
        "definition": """Dendritic cells change as they mature. Immature dendritic cells are
good at taking up antigens but display low levels of the molecules that activate **T cells**,
such as MHC class II and co-stimulatory proteins.

For this reason, one influential mouse study used self-derived immature dendritic cells as
a source of exosomes for drug delivery, aiming to limit immune reactions. That choice
lowers, but does not remove, the possibility of an immune response.
""",
        "related": ["dendritic-cell", "immunogenicity"],
        "tags": ["immunology"],
    },
    {
        "name": "Immunoaffinity capture",
        "slug": "immunoaffinity-capture",
        "abbreviation": "",
        "aliases": ["immunoaffinity isolation", "immunocapture"],
        "short_definition": (
            "Isolating vesicles with antibodies that bind a surface protein, such as CD63, "
            "usually attached to beads or a surface."
        ),
        "definition": """Immunoaffinity capture uses antibodies to pull out vesicles that carry
a chosen surface protein, such as the tetraspanins CD9, CD63 or CD81.

It selects a defined subpopulation with high specificity, which is useful for research and
diagnostics. It misses vesicles that lack the target, yields small amounts and can be hard
to reverse without damaging the vesicles.
""",
        "related": ["cd63", "tetraspanin"],
        "tags": ["isolation"],
    },
    {
        "name": "Immunogenicity",
        "slug": "immunogenicity",
        "abbreviation": "",
        "aliases": ["immunogenic"],
        "short_definition": (
            "The ability of a substance to provoke an immune response. Low immunogenicity "
            "means a reaction is less likely, not impossible."
        ),
        "definition": """Immunogenicity describes how likely something is to trigger the
immune system, for example to produce antibodies or activate **T cells**.

Extracellular vesicles from some cell types are often described as having low
immunogenicity. That depends on the source cells, the purity of the product, the dose and
how often it is given. Vesicles from dendritic cells can be strongly immunogenic by design,
and contaminants in poorly made products can cause reactions.
""",
        "related": ["antigen", "immature-dendritic-cell"],
        "tags": ["immunology", "safety"],
    },
    {
        "name": "Immunotherapy",
        "slug": "immunotherapy",
        "abbreviation": "",
        "aliases": ["immunotherapies", "cancer immunotherapy"],
        "short_definition": (
            "Treatment that works by strengthening, redirecting or calming the immune "
            "system, for example to attack cancer."
        ),
        "definition": """Immunotherapy covers many treatments, including checkpoint
inhibitor drugs, CAR T cell therapy and cancer vaccines. Several are established parts of
cancer care.

Exosome-based immunotherapy is not. Vaccines made from dendritic cell exosomes have been
tested in small early-phase trials in melanoma and lung cancer; they were feasible and
generally well tolerated, but clear clinical benefit has not been shown.
""",
        "related": ["dendritic-cell", "t-cell"],
        "tags": ["cancer", "immunology", "therapy"],
    },
    {
        "name": "Intraluminal vesicle",
        "slug": "intraluminal-vesicle",
        "abbreviation": "ILV",
        "aliases": ["intraluminal vesicles", "ILVs"],
        "short_definition": (
            "A small vesicle that buds inward into an endosome. When the endosome fuses with "
            "the cell surface, these vesicles are released as exosomes."
        ),
        "definition": """Intraluminal vesicles form when the membrane of a maturing
**endosome** buds inward, enclosing a little of the cell's cytoplasm and capturing selected
proteins, lipids and RNA. An endosome containing many of them is a **multivesicular body**.

Their formation involves the **ESCRT** machinery and ESCRT-independent routes. Once
released from the cell, intraluminal vesicles are called exosomes.
""",
        "related": ["multivesicular-body", "exosome", "escrt", "endosome"],
        "tags": ["biology"],
    },
    {
        "name": "Investigational New Drug application",
        "slug": "investigational-new-drug-application",
        "abbreviation": "IND",
        "aliases": ["IND application", "investigational new drug"],
        "short_definition": (
            "A request to the US FDA for permission to give an unapproved drug or biological "
            "product to people in a clinical trial."
        ),
        "definition": """In the United States, an unapproved drug or biological product,
including an exosome product, may only be given to people in a clinical investigation
covered by an Investigational New Drug application.

The application describes the product, how it is made and tested, earlier laboratory and
animal data, and the trial plan. Patients offered an experimental product can ask for the
IND number and check that the study is registered and overseen by an ethics committee.
""",
        "related": ["phase-i-clinical-trial", "good-manufacturing-practice"],
        "tags": ["regulation"],
    },
    {
        "name": "Lipid bilayer",
        "slug": "lipid-bilayer",
        "abbreviation": "",
        "aliases": ["phospholipid bilayer", "lipid membrane"],
        "short_definition": (
            "A double layer of fat-like molecules that forms cell membranes and the outer "
            "boundary of every extracellular vesicle."
        ),
        "definition": """Cell membranes are made of two layers of lipids whose water-avoiding
tails face inward, with proteins embedded in them.

An intact lipid bilayer is part of the definition of an **extracellular vesicle**. It
protects the cargo inside, which is one reason RNA in vesicles survives in blood longer
than free RNA.
""",
        "related": ["extracellular-vesicle"],
        "tags": ["biology"],
    },
    {
        "name": "Mesenchymal stem cell",
        "slug": "mesenchymal-stem-cell",
        "abbreviation": "MSC",
        "aliases": [
            "mesenchymal stem cells",
            "mesenchymal stromal cell",
            "mesenchymal stromal cells",
            "MSCs",
        ],
        "short_definition": (
            "A cell grown from tissues such as bone marrow, fat or umbilical cord that can "
            "form bone, cartilage and fat cells in the laboratory."
        ),
        "definition": """Mesenchymal stem cells are also called mesenchymal stromal cells,
because many scientists think "stem cell" overstates their abilities in the body. They are
defined in the laboratory by how they grow, the markers they carry and the cell types they
can form.

They can be grown from **bone marrow**, **adipose tissue**, **umbilical cord** (including
Wharton's jelly), **dental pulp** and other tissues. Much of their effect in animal studies
appears to come from what they release, including extracellular vesicles, rather than from
becoming new tissue.
""",
        "related": [
            "stem-cell",
            "bone-marrow",
            "adipose-tissue",
            "umbilical-cord",
            "whartons-jelly",
            "dental-pulp",
            "secretome",
        ],
        "tags": ["sources", "therapy"],
    },
    {
        "name": "MicroRNA",
        "slug": "microrna",
        "abbreviation": "miRNA",
        "aliases": ["microRNAs", "miRNAs"],
        "short_definition": (
            "A short RNA molecule, about 22 building blocks long, that dampens the activity of "
            "particular genes."
        ),
        "definition": """MicroRNAs do not code for proteins. Instead they bind to messenger
RNAs and reduce how much protein is made from them. Each microRNA can affect many genes.

MicroRNAs are found in extracellular vesicles, and some effects of vesicles in the
laboratory have been traced to them. How many copies reach a recipient cell, and whether
that is enough to matter in the body, is still debated.
""",
        "related": ["exosome", "paracrine-signalling"],
        "tags": ["biology"],
    },
    {
        "name": "Microvesicle",
        "slug": "microvesicle",
        "abbreviation": "",
        "aliases": ["microvesicles", "ectosome", "ectosomes"],
        "short_definition": (
            "An extracellular vesicle that buds directly outward from the cell's outer "
            "membrane, usually larger than an exosome."
        ),
        "definition": """Microvesicles, also called ectosomes, form when a patch of the plasma
membrane bulges outward and pinches off. They range from about 100 nanometres to a
micrometre across, overlapping with exosomes at the small end.

Because the two types overlap in size and share some proteins, most isolation methods
collect both. This is one reason many studies describe their samples as extracellular
vesicles rather than exosomes.
""",
        "related": ["extracellular-vesicle", "exosome", "apoptotic-body"],
        "tags": ["biology"],
    },
    {
        "name": "Minimal information for studies of extracellular vesicles",
        "slug": "misev",
        "abbreviation": "MISEV",
        "aliases": ["MISEV guidelines", "MISEV2018", "MISEV2023"],
        "short_definition": (
            "Guidelines from the International Society for Extracellular Vesicles on naming, "
            "isolating, characterising and reporting vesicles in research."
        ),
        "definition": """MISEV guidelines were published in 2014 and updated as MISEV2018 and
MISEV2023. They recommend:

- using **extracellular vesicle** as the general term;
- reporting how samples were collected and processed;
- characterising vesicles with several complementary methods;
- including controls before claiming that vesicles cause an effect.

They are research guidelines, not regulations, but they shape what counts as a
well-characterised vesicle product.
""",
        "related": ["extracellular-vesicle", "nanoparticle-tracking-analysis"],
        "tags": ["isolation", "biology"],
    },
    {
        "name": "Multivesicular body",
        "slug": "multivesicular-body",
        "abbreviation": "MVB",
        "aliases": ["multivesicular bodies", "MVBs", "multivesicular endosome"],
        "short_definition": (
            "A late endosome filled with small intraluminal vesicles. When it fuses with the "
            "cell surface, those vesicles are released as exosomes."
        ),
        "definition": """A multivesicular body is an **endosome** whose interior contains
many **intraluminal vesicles**. It has two main fates:

- fusing with a lysosome, where its contents are broken down;
- fusing with the plasma membrane, releasing its vesicles as **exosomes**.

What decides between these fates is still being worked out, and it may differ between cell
types and conditions.
""",
        "related": ["endosome", "intraluminal-vesicle", "exosome", "escrt"],
        "tags": ["biology"],
    },
    {
        "name": "Nanoparticle tracking analysis",
        "slug": "nanoparticle-tracking-analysis",
        "abbreviation": "NTA",
        "aliases": [],
        "short_definition": (
            "A method that tracks particles moving in a laser beam to estimate their size "
            "and concentration in a liquid sample."
        ),
        "definition": """In nanoparticle tracking analysis, light scattered by particles is
filmed under a microscope. Software follows each particle's random movement and calculates
its size; counting particles gives a concentration.

It is widely used for vesicle samples, but it counts any particle in the measurable size
range, including protein aggregates and lipoproteins. It is therefore combined with other
methods such as electron microscopy and western blotting.
""",
        "related": ["transmission-electron-microscopy", "western-blot", "flow-cytometry"],
        "tags": ["isolation"],
    },
    {
        "name": "Neurogenesis",
        "slug": "neurogenesis",
        "abbreviation": "",
        "aliases": ["neurogenic"],
        "short_definition": (
            "The formation of new nerve cells (neurons) from neural stem or progenitor cells."
        ),
        "definition": """Most neurons are formed before birth, but in some brain regions
new neurons continue to be made in adult animals. How much this happens in the adult human
brain is debated.

In rodent stroke studies, vesicles from mesenchymal stem cells have increased markers of
neurogenesis and improved recovery. These are **preclinical** findings; they have not been
shown to restore brain function in people.
""",
        "related": ["blood-brain-barrier", "stem-cell"],
        "tags": ["neurology"],
    },
    {
        "name": "Paracrine signalling",
        "slug": "paracrine-signalling",
        "abbreviation": "",
        "aliases": ["paracrine signaling", "paracrine communication", "paracrine effect"],
        "short_definition": (
            "Communication in which a cell releases signals that act on nearby cells, "
            "rather than on itself or on distant organs."
        ),
        "definition": """In paracrine signalling, a cell releases growth factors, cytokines or
extracellular vesicles that influence neighbouring cells.

Many benefits seen after giving mesenchymal stem cells to animals are now thought to come
from paracrine signals rather than from the cells turning into new tissue. This idea led to
testing the cells' released products, including vesicles, on their own.
""",
        "related": ["exosome", "secretome", "microrna"],
        "tags": ["biology"],
    },
    {
        "name": "Phase I clinical trial",
        "slug": "phase-i-clinical-trial",
        "abbreviation": "",
        "aliases": ["phase I trial", "phase 1 trial", "early-phase trial", "early-phase trials"],
        "short_definition": (
            "The first stage of testing a new treatment in people, mainly to check safety "
            "and find a suitable dose."
        ),
        "definition": """Phase I trials usually involve a small number of participants. They
look for side effects and establish dosing; they are not designed to prove that a treatment
works.

Phase II trials then look for signs of benefit, and phase III trials compare the treatment
with standard care in larger groups. Most exosome studies in people so far are phase I or
early phase II.
""",
        "related": ["investigational-new-drug-application", "preclinical-study"],
        "tags": ["regulation", "therapy", "safety"],
    },
    {
        "name": "Preclinical study",
        "slug": "preclinical-study",
        "abbreviation": "",
        "aliases": ["preclinical studies", "preclinical research", "preclinical"],
        "short_definition": (
            "Research done in cells or animals before a treatment is tested in people."
        ),
        "definition": """Preclinical studies test whether a treatment might work and whether it
seems safe enough to try in humans. They use cell cultures and animal models of disease.

Results often fail to carry over to people, because animal models differ from human
disease and studies are often small. Most evidence for exosome treatments is preclinical.
""",
        "related": ["phase-i-clinical-trial"],
        "tags": ["therapy"],
    },
    {
        "name": "Pulmonary fibrosis",
        "slug": "pulmonary-fibrosis",
        "abbreviation": "",
        "aliases": ["lung fibrosis", "idiopathic pulmonary fibrosis"],
        "short_definition": (
            "Scarring of lung tissue that stiffens the lungs and makes breathing "
            "increasingly difficult."
        ),
        "definition": """In pulmonary fibrosis, tissue around the air sacs thickens and
scars. In the most common form, idiopathic pulmonary fibrosis, the cause is unknown.
Approved medicines can slow progression but do not reverse scarring.

Extracellular vesicles from mesenchymal stem cells have reduced scarring in rodent models.
These findings are preclinical, and no exosome product is approved for pulmonary
fibrosis.
""",
        "related": ["chronic-obstructive-pulmonary-disease"],
        "tags": ["lung"],
    },
    {
        "name": "Regenerative medicine",
        "slug": "regenerative-medicine",
        "abbreviation": "",
        "aliases": [],
        "short_definition": (
            "The field that aims to repair or replace damaged cells, tissues or organs, "
            "using cells, biological products, materials or genes."
        ),
        "definition": """Regenerative medicine includes established treatments, such as
blood stem cell transplants and some skin and cartilage grafts, alongside many experimental
approaches.

Extracellular vesicle research belongs to the experimental part. The field also attracts
clinics that sell unproven products, so it is worth checking whether any offered treatment
is approved or part of a registered clinical trial.
""",
        "related": ["stem-cell", "mesenchymal-stem-cell"],
        "tags": ["therapy"],
    },
    {
        "name": "Secretome",
        "slug": "secretome",
        "abbreviation": "",
        "aliases": ["conditioned medium"],
        "short_definition": (
            "Everything a cell releases into its surroundings, including soluble proteins "
            "and extracellular vesicles."
        ),
        "definition": """The secretome of a cell includes growth factors, cytokines,
enzymes and extracellular vesicles. In the laboratory it is collected as conditioned
medium, the fluid in which cells have been grown.

Studies compare whole conditioned medium with purified vesicles to work out which parts
cause an effect. Products sold as "exosomes" may in practice contain much of the secretome.
""",
        "related": ["paracrine-signalling", "mesenchymal-stem-cell"],
        "tags": ["biology", "therapy"],
    },
    {
        "name": "Size-exclusion chromatography",
        "slug": "size-exclusion-chromatography",
        "abbreviation": "SEC",
        "aliases": ["size exclusion chromatography"],
        "short_definition": (
            "A separation method in which a sample flows through a porous column; large "
            "particles such as vesicles come out before small proteins."
        ),
        "definition": """In size-exclusion chromatography, small molecules enter the pores of
the column material and take longer to pass through, while larger particles such as
vesicles flow around them and come out first.

The method is gentle and removes most soluble proteins. It does not separate particles of
similar size, such as some lipoproteins in blood, so it is often combined with other steps.
""",
        "related": ["ultracentrifugation", "tangential-flow-filtration"],
        "tags": ["isolation"],
    },
    {
        "name": "Stem cell",
        "slug": "stem-cell",
        "abbreviation": "",
        "aliases": ["stem cells"],
        "short_definition": (
            "A cell that can renew itself and give rise to more specialised cell types."
        ),
        "definition": """Stem cells range from embryonic stem cells, which can form almost any
cell type, to adult stem cells with narrower abilities, such as blood-forming stem cells.

A stem cell is a living cell; an exosome is a particle released by a cell and cannot divide
or grow. Established stem cell treatments are limited, mainly blood stem cell transplants
for specific conditions.
""",
        "related": ["mesenchymal-stem-cell", "hematopoietic-stem-cell", "regenerative-medicine"],
        "tags": ["sources", "therapy"],
    },
    {
        "name": "T cell",
        "slug": "t-cell",
        "abbreviation": "",
        "aliases": ["T cells", "T lymphocyte", "T lymphocytes", "T-cell", "T-cells"],
        "short_definition": (
            "A white blood cell that recognises specific antigens and either kills infected "
            "or abnormal cells or coordinates other immune cells."
        ),
        "definition": """T cells mature in the thymus. Each carries a receptor that recognises
one antigen fragment presented on another cell's surface. Helper T cells coordinate immune
responses; cytotoxic T cells kill infected or cancerous cells.

T cells are activated by antigen-presenting cells such as **dendritic cells**. Cancer
vaccines based on dendritic cell exosomes aim to trigger T cells against tumour antigens.
""",
        "related": ["antigen", "dendritic-cell"],
        "tags": ["immunology"],
    },
    {
        "name": "Tangential flow filtration",
        "slug": "tangential-flow-filtration",
        "abbreviation": "TFF",
        "aliases": ["cross-flow filtration"],
        "short_definition": (
            "A filtration method in which liquid flows along a membrane rather than into it, "
            "concentrating vesicles from large volumes."
        ),
        "definition": """In tangential flow filtration, the sample circulates across the
surface of a filter. Small molecules and liquid pass through; vesicles are retained and
concentrated. Flowing along the membrane reduces clogging.

Because it handles litres of culture medium, it is widely used when vesicles are produced
at larger scale, usually combined with chromatography for further purification.
""",
        "related": ["size-exclusion-chromatography", "good-manufacturing-practice"],
        "tags": ["isolation", "manufacturing"],
    },
    {
        "name": "Tetraspanin",
        "slug": "tetraspanin",
        "abbreviation": "",
        "aliases": ["tetraspanins", "CD9", "CD81"],
        "short_definition": (
            "A family of membrane proteins that cross the membrane four times. CD9, CD63 and "
            "CD81 are common extracellular vesicle markers."
        ),
        "definition": """Tetraspanins organise other proteins into small membrane domains.
They are abundant on many extracellular vesicles and take part in some routes of vesicle
formation.

CD9, CD63 and CD81 are the tetraspanins most often measured to show that a sample contains
vesicles. Their levels differ between vesicle types and source cells, so no single
tetraspanin identifies an exosome.
""",
        "related": ["cd63", "exosome", "western-blot"],
        "tags": ["biology", "isolation"],
    },
    {
        "name": "Transmission electron microscopy",
        "slug": "transmission-electron-microscopy",
        "abbreviation": "TEM",
        "aliases": ["electron microscopy", "cryo-electron microscopy", "cryo-EM"],
        "short_definition": (
            "Imaging with a beam of electrons, detailed enough to show individual vesicles "
            "and their membranes."
        ),
        "definition": """Transmission electron microscopy passes electrons through a thin
sample to form an image with nanometre detail. It shows whether particles have a membrane
and gives an idea of their size and shape.

Conventional preparation dries vesicles, which can make them look cup-shaped. Cryo-electron
microscopy images frozen, hydrated samples and preserves their round shape.
""",
        "related": ["nanoparticle-tracking-analysis"],
        "tags": ["isolation"],
    },
    {
        "name": "Ultracentrifugation",
        "slug": "ultracentrifugation",
        "abbreviation": "",
        "aliases": ["differential ultracentrifugation", "ultracentrifuge"],
        "short_definition": (
            "Spinning samples at very high speed to pellet small particles. Differential "
            "ultracentrifugation is a classic vesicle isolation method."
        ),
        "definition": """In differential ultracentrifugation, a sample is spun at increasing
speeds. Lower speeds remove cells, dead cells and debris; a final spin at around 100,000
times gravity pellets small vesicles.

It needs no special reagents and has long been a reference method. It is slow, can damage
vesicles and also pellets protein aggregates, so purer preparations add a density gradient
or chromatography step.
""",
        "related": ["density-gradient-centrifugation", "size-exclusion-chromatography"],
        "tags": ["isolation"],
    },
    {
        "name": "Umbilical cord",
        "slug": "umbilical-cord",
        "abbreviation": "",
        "aliases": ["umbilical cord tissue", "cord tissue"],
        "short_definition": (
            "The cord connecting a baby to the placenta. Donated cord tissue is a source of "
            "mesenchymal stem cells for research."
        ),
        "definition": """The umbilical cord contains two arteries and a vein embedded in a
gel-like tissue called **Wharton's jelly**. After birth, donated cord tissue and cord blood
can be collected without any procedure on the baby or mother.

Cord tissue yields mesenchymal stem cells that grow well in culture and are widely used in
vesicle research. Products marketed as umbilical cord or Wharton's jelly "exosomes" are not
approved by the FDA for any condition.
""",
        "related": ["whartons-jelly", "mesenchymal-stem-cell", "amniotic-membrane"],
        "tags": ["sources"],
    },
    {
        "name": "Western blot",
        "slug": "western-blot",
        "abbreviation": "",
        "aliases": ["western blotting", "immunoblot", "immunoblotting"],
        "short_definition": (
            "A laboratory test that separates proteins by size and detects chosen ones with "
            "antibodies."
        ),
        "definition": """In a western blot, proteins from a sample are separated in a gel,
transferred to a membrane and stained with antibodies against particular proteins.

For vesicle samples, researchers look for proteins expected in vesicles, such as CD9, CD63,
CD81, TSG101 and ALIX, and for proteins that should be absent or low, such as those from the
endoplasmic reticulum, to judge purity.
""",
        "related": ["cd63", "tetraspanin"],
        "tags": ["isolation"],
    },
    {
        "name": "Wharton's jelly",
        "slug": "whartons-jelly",
        "abbreviation": "",
        "aliases": ["Wharton’s jelly", "Whartons jelly"],
        "short_definition": (
            "The gel-like connective tissue inside the umbilical cord, a rich source of "
            "mesenchymal stem cells."
        ),
        "definition": """Wharton's jelly surrounds and cushions the blood vessels of the
**umbilical cord**. It is named after the 17th-century English anatomist Thomas Wharton.

Cells grown from Wharton's jelly are a common source of mesenchymal stem cells and their
vesicles in research. The FDA has cautioned consumers that widely promoted products derived
from Wharton’s jelly are not FDA-approved treatments.
""",
        "related": ["umbilical-cord", "mesenchymal-stem-cell"],
        "tags": ["sources"],
    },
]

# ---------------------------------------------------------------------------
# References (private helpers; each article lists copies of its own, in order)
# ---------------------------------------------------------------------------

_REF_MISEV2018 = {
    "citation": (
        "Théry C, Witwer KW, Aikawa E, et al. Minimal information for studies of "
        "extracellular vesicles 2018 (MISEV2018): a position statement of the International "
        "Society for Extracellular Vesicles and update of the MISEV2014 guidelines. "
        "J Extracell Vesicles. 2018;7(1):1535750."
    ),
    "doi": "10.1080/20013078.2018.1535750",
    "pmid": "30637094",
    "url": "",
}
_REF_MISEV2023 = {
    "citation": (
        "Welsh JA, Goberdhan DCI, O'Driscoll L, et al. Minimal information for studies of "
        "extracellular vesicles (MISEV2023): from basic to advanced approaches. "
        "J Extracell Vesicles. 2024;13(2):e12404."
    ),
    "doi": "10.1002/jev2.12404",
    "pmid": "38326288",
    "url": "",
}
_REF_VAN_NIEL_2018 = {
    "citation": (
        "van Niel G, D'Angelo G, Raposo G. Shedding light on the cell biology of "
        "extracellular vesicles. Nat Rev Mol Cell Biol. 2018;19(4):213-228."
    ),
    "doi": "10.1038/nrm.2017.125",
    "pmid": "29339798",
    "url": "",
}
_REF_KALLURI_2020 = {
    "citation": (
        "Kalluri R, LeBleu VS. The biology, function, and biomedical applications of "
        "exosomes. Science. 2020;367(6478):eaau6977."
    ),
    "doi": "10.1126/science.aau6977",
    "pmid": "32029601",
    "url": "",
}
_REF_PEGTEL_2019 = {
    "citation": "Pegtel DM, Gould SJ. Exosomes. Annu Rev Biochem. 2019;88:487-514.",
    "doi": "10.1146/annurev-biochem-013118-111902",
    "pmid": "",
    "url": "",
}
_REF_THERY_2006 = {
    "citation": (
        "Théry C, Amigorena S, Raposo G, Clayton A. Isolation and characterization of "
        "exosomes from cell culture supernatants and biological fluids. "
        "Curr Protoc Cell Biol. 2006;Chapter 3:Unit 3.22."
    ),
    "doi": "10.1002/0471143030.cb0322s30",
    "pmid": "18228490",
    "url": "",
}
_REF_ALVAREZ_ERVITI_2011 = {
    "citation": (
        "Alvarez-Erviti L, Seow Y, Yin H, Betts C, Lakhal S, Wood MJA. Delivery of siRNA to "
        "the mouse brain by systemic injection of targeted exosomes. Nat Biotechnol. "
        "2011;29(4):341-345."
    ),
    "doi": "10.1038/nbt.1807",
    "pmid": "21423189",
    "url": "",
}
_REF_ESCUDIER_2005 = {
    "citation": (
        "Escudier B, Dorval T, Chaput N, et al. Vaccination of metastatic melanoma patients "
        "with autologous dendritic cell (DC) derived-exosomes: results of the first phase I "
        "clinical trial. J Transl Med. 2005;3(1):10."
    ),
    "doi": "10.1186/1479-5876-3-10",
    "pmid": "",
    "url": "",
}
_REF_XIN_2013 = {
    "citation": (
        "Xin H, Li Y, Cui Y, Yang JJ, Zhang ZG, Chopp M. Systemic administration of exosomes "
        "released from mesenchymal stromal cells promote functional recovery and "
        "neurovascular plasticity after stroke in rats. J Cereb Blood Flow Metab. "
        "2013;33(11):1711-1715."
    ),
    "doi": "10.1038/jcbfm.2013.152",
    "pmid": "23963371",
    "url": "",
}
_REF_ZITVOGEL_1998 = {
    "citation": (
        "Zitvogel L, Regnault A, Lozier A, et al. Eradication of established murine tumors "
        "using a novel cell-free vaccine: dendritic cell-derived exosomes. Nat Med. "
        "1998;4(5):594-600."
    ),
    "doi": "10.1038/nm0598-594",
    "pmid": "",
    "url": "",
}
_REF_FDA_2019 = {
    "citation": (
        "US Food and Drug Administration. Public safety alert due to marketing of unapproved "
        "stem cell and exosome products. December 2019."
    ),
    "doi": "",
    "pmid": "",
    "url": (
        "https://www.fda.gov/safety/medical-product-safety-information/"
        "public-safety-alert-due-marketing-unapproved-stem-cell-and-exosome-products"
    ),
}
_REF_FDA_CONSUMER_ALERT = {
    "citation": (
        "US Food and Drug Administration. Consumer alert on regenerative medicine products "
        "including stem cells and exosomes. 2020."
    ),
    "doi": "",
    "pmid": "",
    "url": (
        "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
        "consumer-alert-regenerative-medicine-products-including-stem-cells-and-exosomes"
    ),
}

# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------

ARTICLES = [
    {
        "title": "What are exosomes and how do cells make them?",
        "slug": "what-are-exosomes",
        "summary": (
            "Exosomes are tiny membrane-bound particles released by cells. This guide explains "
            "how they form, what they carry and why scientists prefer the broader term "
            "extracellular vesicle."
        ),
        "seo_description": (
            "How cells make exosomes through endosomes and multivesicular bodies, what the "
            "vesicles carry, and what science can and cannot yet say."
        ),
        "body": """Almost every cell in the body releases tiny, membrane-wrapped particles into
its surroundings. One family of these particles, called exosomes, has attracted a great deal
of attention in regenerative medicine because it may help explain how cells influence their
neighbours. This article explains what exosomes are, how cells make them and what scientists
can and cannot yet say about them.

## Key points

- An exosome is a very small vesicle, roughly 30 to 150 nanometres across, that starts life
  inside the cell rather than budding straight off its surface.
- Exosomes belong to a larger group of particles called extracellular vesicles (EVs), and
  international guidelines recommend "extracellular vesicle" as the default term [1, 2].
- Exosomes carry proteins, lipids and RNA, including microRNA, from the cell that made
  them [3, 4].
- Much of what is known about their functions comes from cell culture and animal studies.
  Their role in human health is an open research question, not a settled fact.

## Extracellular vesicles: the umbrella term

An extracellular vesicle is any particle released by a cell that is enclosed by a lipid
bilayer and cannot copy itself. The group includes several overlapping types:

- **Exosomes**, which form inside the cell in compartments called endosomes.
- **Microvesicles** (also called ectosomes), which bud directly outward from the plasma
  membrane and are usually somewhat larger.
- **Apoptotic bodies**, larger fragments shed by cells that are dying in a controlled way.

### Why researchers are cautious with the word "exosome"

These vesicle types overlap in size and density, and no single marker separates them
cleanly. A sample collected from blood or from a cell culture almost always contains a
mixture. For this reason the International Society for Extracellular Vesicles, in its MISEV
guidelines, advises researchers to use "extracellular vesicle" unless they can show that
their particles came from the endosomal pathway, and to describe vesicles by measurable
features such as size [1, 2]. You will still see "exosome" used widely, including on this
site, but many products and papers described as exosomes are really mixed EV preparations.

## How cells make exosomes

The route from cell to exosome is called the endosomal pathway. It has three broad
steps [3–5].

### Step 1: endosomes and multivesicular bodies

Cells constantly take in pieces of their own outer membrane, along with fluid and proteins,
in small pockets that pinch off inward. These pockets merge into early endosomes, which act
as sorting stations. As endosomes mature, patches of their limiting membrane bud inward,
forming many small vesicles inside the endosome. These internal vesicles are called
intraluminal vesicles (ILVs), and an endosome packed with them is called a multivesicular
body (MVB).

### Step 2: sorting the cargo

Which proteins and RNAs end up inside ILVs is not random. A set of protein complexes known
as the endosomal sorting complex required for transport (ESCRT) helps recognise cargo, bend
the membrane and cut the new vesicle free. Cells also have ESCRT-independent routes, for
example ones that rely on particular lipids such as ceramide, or on membrane proteins called
tetraspanins, including CD63 [3, 5]. Several routes may operate side by side in the same
cell, which is one reason exosome populations are so varied.

### Step 3: release by fusion with the plasma membrane

A multivesicular body has two possible fates. It can fuse with a lysosome, where its
contents are broken down, or it can move to the cell surface and fuse with the plasma
membrane. In the second case the ILVs are released into the space outside the cell, and
from that moment they are called exosomes [4].

## What is inside an exosome?

Because exosomes form from the cell's own membranes, their contents reflect the cell that
made them. Typical cargo includes:

- membrane proteins such as the tetraspanins CD9, CD63 and CD81;
- proteins linked to their formation, such as TSG101 and ALIX;
- lipids, including cholesterol and sphingomyelin;
- RNA molecules, including microRNA and fragments of messenger RNA.

Reports differ on whether exosomes carry meaningful amounts of DNA, and this remains an area
of active study [4].

## What do exosomes do?

### Paracrine signalling

Cells communicate with nearby cells by releasing signals, a process called paracrine
signalling. Laboratory studies show that extracellular vesicles can deliver proteins and
RNA to a recipient cell and change its behaviour [3, 4]. This idea underpins much of the
interest in exosomes for regenerative medicine: some of the benefits once credited to
transplanted stem cells may come from the vesicles and other factors those cells release.

### Roles in disease

The same machinery can also spread harmful material. Tumour cells release vesicles that may
prepare distant tissues for the spread of cancer, and vesicles have been found carrying
misfolded proteins linked to neurodegenerative disease [4]. These findings have made
vesicles interesting as possible biomarkers, measured in a blood or urine sample, as well
as potential treatments.

## What is established and what is not

It is well established that cells release exosomes and other extracellular vesicles, that
these vesicles carry molecular cargo, and that they can alter the behaviour of cells in
laboratory conditions. It is much less clear how important each type of vesicle is in a
living human body, how many vesicles are needed to have an effect, and which molecules
inside them are responsible. Answering these questions requires careful methods, which is
why the MISEV guidelines emphasise reporting how vesicles were collected and
characterised [1, 2].

*This article is general information, not medical advice. Talk to a qualified clinician
before making decisions about any treatment.*
""",
        "authors": "Exosite editorial team",
        "reviewed_by": "Exosite scientific review panel (cell biology)",
        "reviewed_at": "2026-10-12",
        "published_at": "2026-03-04T09:00:00+00:00",
        "state": "published",
        "featured": True,
        "tags": ["biology"],
        "references": [
            dict(_REF_MISEV2018),
            dict(_REF_MISEV2023),
            dict(_REF_VAN_NIEL_2018),
            dict(_REF_KALLURI_2020),
            dict(_REF_PEGTEL_2019),
        ],
    },
    {
        "title": "Where do exosomes come from, and how are they isolated?",
        "slug": "exosome-sources-and-isolation",
        "summary": (
            "Researchers collect extracellular vesicles from cultured cells and body fluids. "
            "The source and the isolation method both shape what ends up in the tube."
        ),
        "seo_description": (
            "Exosome sources, from MSCs to dendritic cells and plasma, and how vesicles are "
            "isolated and characterised, with the trade-offs of each method."
        ),
        "body": """Exosome research starts with a practical question: where do the vesicles
come from, and how do you separate them from everything else in a sample? The answers
matter, because the source and the method together decide what a preparation actually
contains.

## Cell sources used in research

Most therapeutic research uses vesicles collected from cells grown in the laboratory. The
cells release extracellular vesicles into their culture fluid (the "conditioned medium"),
which is then processed.

### Mesenchymal stem cells

Mesenchymal stem cells (MSCs), also called mesenchymal stromal cells, are the most widely
studied source. They can be grown from several tissues:

- **Bone marrow**, the original and best-characterised source.
- **Adipose tissue** (body fat), often obtained from liposuction material.
- **Umbilical cord** tissue, especially the gel-like Wharton's jelly that surrounds the
  cord's blood vessels.
- **Dental pulp**, the soft tissue inside teeth, for example from extracted wisdom teeth.
- **Amniotic membrane**, the inner layer of the membranes around the baby, donated after
  birth.

Cells from these tissues share some features but are not interchangeable. Their vesicles
can differ with the donor, the tissue, how long the cells have been grown and what they are
fed. This makes results hard to compare between laboratories, and the MISEV guidelines ask
researchers to report culture conditions in detail [2, 3].

### Dendritic cells

Dendritic cells are immune cells that present antigens to T cells. Vesicles from dendritic
cells were among the first to be tested as cancer vaccines, and methods for producing them
to clinical standards were developed for early trials [5]. Immature dendritic cells (imDCs)
display few of the molecules that activate T cells, which is why one influential mouse
study chose them as a source of vesicles for drug delivery, aiming to limit
immunogenicity [4].
Read more about [[dendritic cells]] in the glossary, or how the body might react to
such vesicles in the FAQ: [[faq:do-exosomes-cause-immune-reactions|do exosomes cause
immune reactions?]]

### Other cell sources

Researchers also study vesicles from CD34+ stem cells, the blood-forming stem and progenitor
cells found in bone marrow, cord blood and blood, and from engineered cell lines that can be
grown at large scale and modified to load or target the vesicles [6].

### Body fluids

Blood plasma, urine, saliva and other fluids contain large numbers of extracellular
vesicles released by many cell types. These are mainly studied as possible biomarkers for
diagnosis rather than as treatments [6]. Plasma is a difficult starting material because it
is rich in lipoproteins and proteins of similar size or density to vesicles [3].

## How vesicles are isolated

No method gives a pure exosome population. Each balances yield (how much you recover),
purity (how much else comes along) and practicality [2, 3].

| Method | How it works | Strength | Limitation |
| --- | --- | --- | --- |
| Differential ultracentrifugation | Stepwise spins | Reference method | Slow; pellets aggregates |
| Density gradient | Settles by density | Higher purity | Laborious; small volumes |
| Size-exclusion chromatography | Separates by size | Removes proteins | Co-elutes lipoproteins |
| Tangential flow filtration | Membrane retains vesicles | Large volumes | Needs further clean-up |
| Precipitation kits | Polymers pull vesicles out | Simple; high yield | Co-precipitates proteins |
| Immunoaffinity capture | Antibodies bind CD63 etc. | Selective | Low yield; misses others |

A protocol based on differential ultracentrifugation, published by Théry and colleagues in
2006, became a standard starting point for many laboratories [1]. Today it is common to
combine methods, for example concentrating a sample by filtration and then purifying it by
size-exclusion chromatography [3].

## How vesicles are characterised

Because every method lets some other material through, researchers are expected to show
what they have collected, using several complementary techniques [1–3]:

- **Nanoparticle tracking analysis (NTA)** follows individual particles in a laser beam to
  estimate their size and concentration. It counts any particle of the right size, not only
  vesicles.
- **Transmission electron microscopy (TEM)**, and especially cryo-electron microscopy, shows
  the shape of individual vesicles and confirms that they have a membrane.
- **Western blotting** detects proteins typical of vesicles, such as the tetraspanins CD9,
  CD63 and CD81 and the protein TSG101, and checks for proteins that should be absent or
  low, such as those from the endoplasmic reticulum.

### Why this matters for patients

When a clinic describes a product as "exosomes from umbilical cord stem cells", it is fair
to ask how the vesicles were isolated, how they were characterised and how each batch is
tested for sterility and consistency. Clinical products must be made under good
manufacturing practice (GMP), and early trials showed this is achievable but demanding [5].
A product that comes without clear answers may contain a poorly defined mixture.

*This article is general information, not medical advice. Talk to a qualified clinician
before making decisions about any treatment.*
""",
        "authors": "Exosite editorial team",
        "reviewed_by": "Exosite scientific review panel (laboratory methods)",
        "reviewed_at": "2026-09-22",
        "published_at": "2026-05-19T09:00:00+00:00",
        "state": "published",
        "featured": False,
        "tags": ["sources", "isolation", "manufacturing"],
        "references": [
            dict(_REF_THERY_2006),
            dict(_REF_MISEV2018),
            dict(_REF_MISEV2023),
            dict(_REF_ALVAREZ_ERVITI_2011),
            dict(_REF_ESCUDIER_2005),
            dict(_REF_KALLURI_2020),
        ],
    },
    {
        "title": "Exosome therapies: what the evidence shows so far",
        "slug": "exosome-therapies-evidence",
        "summary": (
            "Exosomes are being studied for stroke, heart and lung disease and cancer. Most "
            "results come from animal studies, and the FDA has approved no exosome product."
        ),
        "seo_description": (
            "Exosome therapy evidence for stroke, lung disease and cancer: what is preclinical, "
            "what early trials show, and why no exosome product is FDA approved."
        ),
        "body": """Exosomes and other extracellular vesicles are often described as the next
step in regenerative medicine. Some of the research is genuinely promising. But it is
important to separate what has been shown in laboratory animals from what has been shown in
people, and both from what is being sold.

## The short version

- Most evidence for exosome treatments comes from cell culture and animal studies.
- Human studies so far are small, early-phase clinical trials that mainly test safety and
  feasibility.
- The US Food and Drug Administration (FDA) has not approved any exosome product, and it has
  warned the public about clinics marketing unapproved products [7, 8].

## Why researchers are interested

Transplanted mesenchymal stem cells (MSCs) often survive only briefly in the body, yet in
animal studies they can still improve healing. One explanation is paracrine signalling: the
cells release growth factors and extracellular vesicles that act on the surrounding tissue.
If vesicles carry part of this effect, they might offer some benefits of cell therapy
without giving living cells, and they could be easier to store, dose and standardise [3].

## Areas of preclinical research

### Stroke and the brain

In a frequently cited rat study, vesicles from MSCs given into a vein a day after a stroke
improved recovery of movement and increased markers of new blood vessel growth, nerve fibre
remodelling and neurogenesis, the formation of new neurons [1]. The study was small, with
six animals in each group, so it shows potential rather than proof.

A major question is whether vesicles can cross the blood-brain barrier. In a landmark mouse
study, exosomes from engineered dendritic cells were fitted with a brain-targeting peptide
and loaded with a short interfering RNA; after injection into a vein, they reduced the
activity of a target gene in the brain [2]. This shows that engineered vesicles can reach
the mouse brain. It does not show that any exosome product crosses the human blood-brain
barrier in useful amounts.

### Heart and lungs

Vesicles from MSCs have reduced tissue damage in animal models of organ injury, including
heart attack and acute lung injury [3]. Researchers are also studying them in rodent models
of pulmonary fibrosis and chronic obstructive pulmonary disease (COPD). Results vary with
the cell source, the isolation method and the dose, and no vesicle treatment has been shown
to improve outcomes for people with COPD or pulmonary fibrosis.

### Drug delivery

Because vesicles naturally carry RNA and proteins between cells, they are being engineered
as carriers for drugs and genetic medicines [2, 3]. Loading them efficiently and steering
them to the right tissue remain technical hurdles.

## Cancer immunotherapy with dendritic cell exosomes

Dendritic cells show fragments of proteins, called antigens, to T cells. In 1998,
researchers reported that exosomes from dendritic cells loaded with tumour peptides could
prime T cell responses and eradicate or slow established tumours in mice [4]. This led to
some of the first human trials of exosomes. In a phase I trial in 15 people with advanced
melanoma, vaccines made from each patient's own dendritic cell exosomes were manufactured
to clinical standards and were well tolerated, but clear tumour responses were rare [5].
Later trials in lung cancer were also small, and this form of immunotherapy remains
experimental.
For where these vesicles come from and how they are purified, see
[[article:exosome-sources-and-isolation|our article on sources and isolation]].

## "Low immunogenicity": what it does and does not mean

Exosomes are often said to have low immunogenicity, meaning they are unlikely to provoke
an immune reaction. Animal studies and early trials suggest that vesicles from some cell
types are generally well tolerated [3, 5]. But the claim has limits:

- Dendritic cell exosomes are designed to stimulate immunity, so the property depends on
  the source.
- Vesicles from another person carry that person's proteins, and the effects of repeated
  doses are not well studied.
- Poorly purified products can contain contaminants, such as bacterial toxins or serum
  proteins from the culture medium.

## Manufacturing and standardisation

A medicine must have a consistent identity, purity and potency from batch to batch. For
vesicles this is hard: they are heterogeneous, there is no agreed way to express a dose
(particle number, protein amount or biological activity), and isolation methods
co-purify other material. The MISEV guidelines set minimum reporting standards for research,
and clinical products must be made under good manufacturing practice (GMP) [6].

## Regulation and unapproved clinics

In the United States, exosome products intended to treat disease are regulated as drugs and
biological products, which need FDA approval before they can be marketed. In December 2019
the FDA issued a public safety notification after serious adverse events in patients in
Nebraska who had received unapproved products marketed as containing exosomes, and it
stated that there were no FDA-approved exosome products [7]. The agency's consumer alert on
regenerative medicine products repeats that message and warns that some illegally marketed
products may have significant safety problems [8].

Products are nonetheless sold by clinics in many countries, sometimes with Wharton’s jelly,
umbilical cord or amniotic membrane named as the source, for conditions ranging from joint
pain to dementia. In the United States, legitimate research on unapproved products takes
place in clinical trials under an Investigational New Drug application (IND), with oversight
by an ethics committee.

## What this means for you

If you are considering an exosome treatment, ask whether it is approved or part of a
registered clinical trial, what evidence supports it for your condition, and what the risks
and costs are. Discuss it with your own doctor before agreeing to anything. Our FAQ lists
[[faq:questions-to-ask-an-exosome-clinic|questions to ask a clinic]], and the basics are in
[[article:what-are-exosomes|what are exosomes?]]

*This article is general information, not medical advice. Talk to a qualified clinician
before making decisions about any treatment.*
""",
        "authors": "Exosite editorial team",
        "reviewed_by": "Exosite medical review panel",
        "reviewed_at": "2026-11-03",
        "published_at": "2026-08-11T09:00:00+00:00",
        "state": "published",
        "featured": True,
        "tags": ["therapy", "neurology", "lung", "cancer", "immunology", "regulation", "safety"],
        "references": [
            dict(_REF_XIN_2013),
            dict(_REF_ALVAREZ_ERVITI_2011),
            dict(_REF_KALLURI_2020),
            dict(_REF_ZITVOGEL_1998),
            dict(_REF_ESCUDIER_2005),
            dict(_REF_MISEV2023),
            dict(_REF_FDA_2019),
            dict(_REF_FDA_CONSUMER_ALERT),
        ],
    },
    {
        "title": "Draft, work in progress: exosomes and wound healing",
        "slug": "exosomes-wound-healing-draft",
        "summary": (
            "Work in progress: an overview of research on extracellular vesicles in skin "
            "wound healing. Not yet reviewed."
        ),
        "seo_description": (
            "Draft overview of research on exosomes and extracellular vesicles in skin wound "
            "healing. Not yet reviewed or published."
        ),
        "body": """*Editor's note: this draft is incomplete and has not been medically
reviewed.*

## Outline

Chronic wounds, such as diabetic foot ulcers, heal slowly because inflammation, blood
supply and skin cell movement are disrupted. Extracellular vesicles from mesenchymal stem
cells have been tested in animal wound models, where they have been reported to reduce
inflammation and encourage new blood vessel growth [1].

### Still to cover

- Which cell sources have been compared, and how the vesicles were isolated.
- Topical gels compared with injections.
- Registered human trials, which remain few and early phase.
- Cosmetic "exosome" products and what their marketing claims mean.
- Safety reports, including serious adverse events linked to unapproved products.

Early animal results are encouraging but inconsistent, and study designs vary widely.

No exosome product is approved to treat wounds. People with a wound that is not healing
should see a clinician.
""",
        "authors": "Exosite editorial team",
        "reviewed_by": "Pending: Exosite medical review panel",
        "reviewed_at": "2026-11-20",
        "published_at": "2026-10-28T09:00:00+00:00",
        "state": "draft",
        "featured": False,
        "tags": ["therapy", "sources"],
        "references": [dict(_REF_KALLURI_2020)],
    },
    {
        "title": "Making exosome products: why manufacturing standards matter",
        "slug": "exosome-manufacturing-standards",
        "summary": (
            "A medicine has to be the same every time. For extracellular vesicles, defining "
            "and measuring that sameness is one of the field's hardest problems."
        ),
        "seo_description": (
            "Why consistent manufacturing, characterisation and GMP matter for exosome "
            "products, and what the MISEV guidelines ask researchers to report."
        ),
        "body": """Any medicine must be made the same way every time, so that each dose has
the same identity, purity and strength. For products based on extracellular vesicles, that
is unusually difficult.

## Why vesicles are hard to standardise

Cells release a mixture of vesicles whose size and contents change with the donor, the
tissue, the culture conditions and the isolation method. There is no agreed unit of dose:
studies report particle counts, protein amounts or biological activity. The MISEV
guidelines therefore ask researchers to describe collection, isolation and
characterisation in detail and to use several complementary measurements [1, 2].

## What good manufacturing involves

- A defined, tested source of cells, with donor screening.
- A documented isolation process, such as tangential flow filtration followed by
  chromatography.
- Batch release tests for identity, purity, sterility, endotoxin and potency.
- Stability testing, so that storage does not change the product.

Production under good manufacturing practice (GMP) is required for products given to
people, including in clinical trials.

## Questions to ask

If a clinic offers an exosome product, ask how it is made, what each batch is tested for,
and whether it is approved or part of a registered clinical trial.
""",
        "authors": "Exosite editorial team",
        "reviewed_by": "Exosite scientific review panel (manufacturing)",
        "reviewed_at": "2026-11-18",
        "published_at": "2026-12-08T09:00:00+00:00",
        "state": "scheduled",
        "featured": False,
        "tags": ["manufacturing", "regulation"],
        "references": [dict(_REF_MISEV2023), dict(_REF_MISEV2018)],
    },
]

# ---------------------------------------------------------------------------
# FAQ entries
# ---------------------------------------------------------------------------

QUESTIONS = [
    # --- Exosome basics -----------------------------------------------------
    {
        "question": "What is an exosome?",
        "slug": "what-is-an-exosome",
        "topic": "basics",
        "position": 1,
        "answer": """An exosome is a tiny particle, about 30 to 150 nanometres across,
released by cells. It is wrapped in a membrane and carries proteins, lipids and RNA from the
cell that made it.

Exosomes form inside the cell, in compartments called multivesicular bodies, and are
released when these fuse with the cell's outer membrane. They are one type of
**extracellular vesicle**.
""",
        "tags": ["biology"],
    },
    {
        "question": "Are exosomes the same as extracellular vesicles?",
        "slug": "are-exosomes-the-same-as-extracellular-vesicles",
        "topic": "basics",
        "position": 2,
        "answer": """Not quite. "Extracellular vesicle" is the umbrella term for all
membrane-enclosed particles released by cells. Exosomes are the subtype that forms inside
endosomes; others include microvesicles, which bud from the cell surface, and apoptotic
bodies, released by dying cells.

The types overlap in size and are hard to separate, so the International Society for
Extracellular Vesicles recommends saying "extracellular vesicle" unless the endosomal origin
has been shown. Many products sold as exosomes are really mixtures.
""",
        "tags": ["biology"],
    },
    {
        "question": "What is the difference between exosomes and stem cells?",
        "slug": "exosomes-vs-stem-cells",
        "topic": "basics",
        "position": 3,
        "answer": """A stem cell is a living cell that can divide and give rise to other cell
types. An exosome is a particle released by a cell. It has no nucleus and cannot divide,
grow or turn into tissue.

Interest in exosomes grew from the finding that some benefits of mesenchymal stem cells in
animal studies seem to come from what the cells release. That does not mean exosomes do
everything stem cells do, and neither is an approved treatment for most conditions.
""",
        "tags": ["biology", "therapy"],
    },
    {
        "question": "What do exosomes carry?",
        "slug": "what-do-exosomes-carry",
        "topic": "basics",
        "position": 4,
        "answer": """Exosomes carry membrane proteins (such as the tetraspanins CD9, CD63
and CD81), proteins involved in their formation, lipids and several kinds of RNA, including
microRNA. Their contents reflect the cell that made them and its condition.

Which molecules are responsible for a given effect, and how much reaches a recipient cell,
are still being studied.
""",
        "tags": ["biology"],
    },
    # --- Sources and lab methods ----------------------------------------------
    {
        "question": "Where do the exosomes used in research come from?",
        "slug": "where-do-exosomes-come-from",
        "topic": "sources-and-methods",
        "position": 1,
        "answer": """Most come from cells grown in the laboratory. The most studied are
mesenchymal stem cells from bone marrow, adipose tissue, umbilical cord (including Wharton’s
jelly), dental pulp and amniotic membrane. Others include dendritic cells, CD34+ stem cells
and engineered cell lines.

Vesicles are also collected from body fluids such as blood plasma and urine, mainly to
look for markers of disease rather than to treat it.
""",
        "tags": ["sources"],
    },
    {
        "question": "How are exosomes isolated in the laboratory?",
        "slug": "how-are-exosomes-isolated",
        "topic": "sources-and-methods",
        "position": 2,
        "answer": """Common methods include differential ultracentrifugation, density
gradients, size-exclusion chromatography, tangential flow filtration, precipitation kits and
antibody-based immunoaffinity capture.

Each trades yield against purity, and none gives pure exosomes. Laboratories often combine
two or more methods and report exactly what they did, as the MISEV guidelines recommend.
""",
        "tags": ["isolation"],
    },
    {
        "question": "How do scientists check what is in an exosome sample?",
        "slug": "how-are-exosome-samples-characterised",
        "topic": "sources-and-methods",
        "position": 3,
        "answer": """They use several methods together. Nanoparticle tracking analysis
estimates particle size and number; electron microscopy shows whether particles have a
membrane; and western blotting checks for typical vesicle proteins, such as CD63 and TSG101,
and for contaminants that should be absent.

No single test proves that a sample contains exosomes, which is why guidelines ask for
complementary measurements.
""",
        "tags": ["isolation"],
    },
    {
        "question": "Does it matter whether exosomes come from umbilical cord, bone marrow or fat?",
        "slug": "does-the-exosome-source-matter",
        "topic": "sources-and-methods",
        "position": 4,
        "answer": """Yes. Vesicles from different tissues, donors and culture conditions can
differ in their contents and effects, and direct comparisons are limited.

Claims that one source is "more powerful" or "younger" are usually marketing rather than
evidence. What matters more is how well a product is defined, tested and studied for a
particular use.
""",
        "tags": ["sources", "isolation"],
    },
    # --- Treatments and evidence ----------------------------------------------
    {
        "question": "Can exosomes cross the blood-brain barrier?",
        "slug": "can-exosomes-cross-the-blood-brain-barrier",
        "topic": "treatments-and-evidence",
        "position": 1,
        "answer": """Some can, in animals, under specific conditions. In a well-known mouse
study, exosomes engineered with a brain-targeting peptide delivered genetic material to
brain cells after injection into a vein.

This does not mean that exosome products sold in clinics reach the human brain in useful
amounts. How well natural vesicles cross the blood-brain barrier in people is not known.
""",
        "tags": ["neurology"],
    },
    {
        "question": "Can exosomes treat stroke, dementia or Parkinson's disease?",
        "slug": "exosomes-for-brain-conditions",
        "topic": "treatments-and-evidence",
        "position": 2,
        "answer": """Not at present. Vesicles from mesenchymal stem cells improved recovery
and increased markers of neurogenesis in rat stroke studies, but these are preclinical
findings. No exosome product has been shown in clinical trials to treat stroke, dementia or
Parkinson's disease.

If you or a family member are living with one of these conditions, talk to your neurology
team about established treatments and about any registered trials you might be eligible for.
""",
        "tags": ["neurology", "therapy"],
    },
    {
        "question": "Are exosomes a proven treatment for COPD or pulmonary fibrosis?",
        "slug": "exosomes-for-lung-disease",
        "topic": "treatments-and-evidence",
        "position": 3,
        "answer": """No. Vesicles from mesenchymal stem cells have reduced lung injury and
scarring in animal models, and small human studies are under way, but no exosome product
has been shown to help people with COPD or pulmonary fibrosis.

The FDA has stated that regenerative medicine therapies have not been approved for lung
diseases such as COPD. Keep to the treatment plan agreed with your respiratory team.
""",
        "tags": ["lung", "therapy"],
    },
    {
        "question": "Are exosomes used in cancer treatment?",
        "slug": "exosomes-in-cancer-treatment",
        "topic": "treatments-and-evidence",
        "position": 4,
        "answer": """Only in research. Exosomes from dendritic cells, loaded with tumour
antigens, controlled tumours in mice and were tested as vaccines in small early-phase trials
in melanoma and lung cancer. They were generally well tolerated, but clear benefit was not
shown.

Researchers are also engineering vesicles to carry cancer drugs, and studying vesicles in
blood as possible tests for cancer. None of these is a standard treatment.
""",
        "tags": ["cancer", "immunology"],
    },
    {
        "question": "How can I find a legitimate clinical trial of exosomes?",
        "slug": "finding-an-exosome-clinical-trial",
        "topic": "treatments-and-evidence",
        "position": 5,
        "answer": """Search a public registry such as ClinicalTrials.gov or the WHO
International Clinical Trials Registry Platform, and discuss any trial with your own doctor.

Legitimate trials are registered, approved by an ethics committee, explain risks in a
consent form and do not usually charge participants for the experimental product. In the
United States, a trial of an unapproved product should have an Investigational New Drug
(IND) number.
""",
        "tags": ["therapy", "regulation"],
    },
    # --- Safety and regulation --------------------------------------------------
    {
        "question": "Are exosome therapies approved?",
        "slug": "are-exosome-therapies-approved",
        "topic": "safety-and-regulation",
        "position": 1,
        "answer": """No exosome product had been approved by the US Food and Drug
Administration (FDA) at the time of our last review. In December 2019 the FDA issued a
public safety notification stating that there were no approved exosome products, after
patients were harmed by unapproved products.

In the United States, exosome products meant to treat disease are regulated as drugs and
biological products, and offering them outside approval or a clinical trial under an IND
is not lawful there. Rules differ in other countries, so check with your national regulator.
""",
        "tags": ["regulation"],
    },
    {
        "question": "Are exosome injections safe?",
        "slug": "are-exosome-injections-safe",
        "topic": "safety-and-regulation",
        "position": 2,
        "answer": """Their safety has not been established. Small clinical trials using
carefully made products have reported few serious side effects, but they involved few
people and short follow-up.

Products sold outside trials may be poorly characterised or contaminated. The FDA has
received reports of serious adverse events, including in patients treated with unapproved
products marketed as containing exosomes. If you have had a reaction after any such
treatment, seek medical care.
""",
        "tags": ["safety"],
    },
    {
        "question": "Do exosomes cause immune reactions?",
        "slug": "do-exosomes-cause-immune-reactions",
        "topic": "safety-and-regulation",
        "position": 3,
        "answer": """They can. Vesicles from some cell types appear to have low
immunogenicity, but this depends on the source, the dose, how often they are given and how
pure the product is. Vesicles from dendritic cells are designed to stimulate the immune
system.

Contaminants such as bacterial toxins or proteins from culture medium can also cause
reactions.
""",
        "tags": ["immunology", "safety"],
    },
    {
        "question": "What should I ask a clinic offering exosome injections?",
        "slug": "questions-to-ask-an-exosome-clinic",
        "topic": "safety-and-regulation",
        "position": 4,
        "answer": """Useful questions include:

- Is this product approved for my condition? If not, is this a registered clinical trial,
  and what is its registry and IND number?
- What published evidence in people supports it for my condition?
- Where do the vesicles come from, how are they made, and what is each batch tested for?
- What are the risks, and who will look after me if something goes wrong?
- What does it cost? Legitimate trials rarely charge for the experimental product.

Be cautious if a clinic claims to treat many unrelated conditions, relies on testimonials,
or discourages you from talking to your own doctor.
""",
        "tags": ["safety", "regulation"],
    },
    {
        "question": "Are exosome skin-care products the same as exosome therapies?",
        "slug": "exosome-skin-care-products",
        "topic": "safety-and-regulation",
        "position": 5,
        "answer": """Not necessarily. Products labelled as containing exosomes range from
creams with plant-derived vesicles to preparations said to come from human cells, and the
label rarely shows how they were made or tested.

A product that claims to treat disease or regenerate tissue is regulated as a medicine,
not a cosmetic. Applying any product to broken skin, for example after microneedling, or
injecting it, carries additional risks. Ask a dermatologist before using one.
""",
        "tags": ["safety", "regulation"],
    },
]

# ---------------------------------------------------------------------------
# People (demo profiles: an installation replaces them with its own editors)
# ---------------------------------------------------------------------------

PEOPLE = [
    {
        "slug": "maya-okafor",
        "name": "Maya Okafor",
        "credentials": "PhD, cell biology",
        "role": "Science writer",
        "bio": "Writes about how cells communicate through extracellular vesicles. "
        "(A demonstration profile: an installation replaces it with its own editors.)",
        "orcid": "",
        "conflicts_of_interest": "None declared.",
    },
    {
        "slug": "daniel-reyes",
        "name": "Daniel Reyes",
        "credentials": "MD, MSc, clinical pharmacology",
        "role": "Medical reviewer",
        "bio": "Reviews content on treatments and clinical trials for accuracy and balance. "
        "(A demonstration profile: an installation replaces it with its own editors.)",
        "orcid": "",
        "conflicts_of_interest": "None declared. Receives no funding from companies that make "
        "or sell exosome products.",
    },
    {
        "slug": "lena-hartmann",
        "name": "Lena Hartmann",
        "credentials": "PhD, molecular biology",
        "role": "Scientific reviewer",
        "bio": "Reviews content on vesicle biology and laboratory methods. "
        "(A demonstration profile: an installation replaces it with its own editors.)",
        "orcid": "",
        "conflicts_of_interest": "Co-author of academic research on vesicle isolation methods; "
        "no commercial interests.",
    },
]

# Article slug -> (author slugs, reviewer slug)
ARTICLE_PEOPLE = {
    "what-are-exosomes": (["maya-okafor"], "lena-hartmann"),
    "exosome-sources-and-isolation": (["maya-okafor"], "lena-hartmann"),
    "exosome-therapies-evidence": (["maya-okafor"], "daniel-reyes"),
    "exosomes-wound-healing-draft": (["maya-okafor"], None),
    "exosome-manufacturing-standards": (["maya-okafor"], "lena-hartmann"),
}
