"""Name vocabularies for the demo crowd: people, places, schools.

The named clear cases (``_cases.py``) reserve their first and last names; the crowd
never uses them, so "John", "Harry Smith" or "Priya" each mean exactly one person.
Near-identical spellings (Anna/Ana, Sara/Sarah, Jon/John) are left out on purpose.
"""

from __future__ import annotations


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES: tuple[str, ...] = words(
    """
    Aaron Abigail Adrian Alejandro Alexis Alicia Amara Amelia Andre Angela Anika Arjun
    Audrey Ava Beatriz Benjamin Bianca Blake Bradley Brianna Caleb Camila Carmen Caroline
    Cedric Chloe Claire Colin Connor Dalia Damian Daniela Dante Deborah Deepa Diego Dominic
    Ebony Eduardo Elena Elliot Emeka Esther Ethan Evelyn Farah Felix Fiona Gabriel Gemma
    Gloria Grace Graham Hannah Hassan Hector Helena Hiroshi Ian Imani Ingrid Isaac Isabel
    Ivan Jade Jamal Jasmine Javier Jenna Joaquin Jocelyn Julian Juliet Kamal Karen Keisha
    Kenji Kiara Kofi Laila Lauren Leah Leon Lila Lorenzo Lucas Lucia Luis Madeline Malik
    Maria Mateo Maya Megan Meera Miguel Mila Miriam Naomi Natalia Neil Nia Nikhil Noah Nora
    Omar Oscar Owen Paige Pablo Paul Penelope Quentin Quinn Rafael Rahul Ramon Rebecca Renee
    Ricardo Riley Rohan Rosa Ruby Ryan Samir Samuel Sanjay Savannah Sean Selena Shane Simone
    Sofia Stefan Tamara Tariq Teresa Theo Trevor Uma Valeria Vanessa Victor Vikram Vivian
    Wade Wendy Wesley Ximena Yara Yusuf Zach Zara Zoe Adele Bruno Celeste Desmond Eloise
    Fernando Georgia Hugo Iris Jonah Kendra Lionel Monica Nadia Otis Priscilla Reggie Stella
    Tobias Ursula Vera Walter Yvonne Adeola Bashir Dmitri Eun-ji Fatima Gustavo Hana
    Ibrahim Jin Kwame
    """
)

LAST_NAMES: tuple[str, ...] = words(
    """
    Abbott Adeyemi Aguilar Ahmed Alvarez Anderson Andrews Armstrong Bailey Baker Banerjee
    Barnes Bell Bennett Bishop Boateng Bower Brennan Brooks Bryant Burke Caldwell Campbell
    Carter Castillo Chandler Chavez Choi Clarke Coleman Collins Cooper Cruz Cunningham
    Daniels Das Davenport Delgado Desai Diaz Dixon Donovan Doyle Dunn Edwards Ellis Estrada
    Evans Farrell Fischer Fitzgerald Fleming Flores Foster Fowler Franklin Fujita Gallagher
    Garcia Gardner Gibson Gomez Gonzalez Gordon Greene Gupta Hall Hamilton Hansen Harper
    Hart Hayes Henderson Hernandez Hoffman Holland Howard Hughes Hunt Ibarra Iyer Jackson
    Jenkins Jensen Johansson Joshi Kapoor Keller Kelly Kennedy Khan Kowalski Kumar Lambert
    Larsen Lawrence Levy Lindqvist Lopez Lowe Lynch Maddox Malhotra Marsh Martin Martinez
    Mason Matthews McCarthy McKenzie Mehta Meyer Mitchell Molina Montgomery Moreno Morris
    Murphy Nakamura Nash Navarro Nelson Nguyen Novak Nwosu O'Brien Okoro Olsen Ortiz Osei
    Owens Palmer Park Parker Pearson Perez Perry Peterson Phillips Porter
    Ramirez Rao Reed Reid Reynolds Richards Rivera Roberts Robinson Rodriguez Rossi Russo
    Salazar Sanders Santos Schmidt Schneider Scott Shah Shapiro Sharma Silva
    Sinclair Singh Sorensen Spencer Stewart Sullivan Suzuki Tanaka Taylor Thompson Torres
    Tran Tucker Turner Vargas Vasquez Vaughn Wagner Wallace Ward Warren Watanabe Watson
    Weber Webb Wheeler Whitaker Williams Wilson Wong Wright Yamamoto Young Zhang Zimmerman
    """
)

CITIES: tuple[str, ...] = (
    "New York, NY",
    "New York, NY",
    "New York, NY",
    "Jersey City, NJ",
    "Brooklyn, NY",
    "Boston, MA",
    "Chicago, IL",
    "Chicago, IL",
    "Austin, TX",
    "Dallas, TX",
    "Houston, TX",
    "Atlanta, GA",
    "Charlotte, NC",
    "Miami, FL",
    "Denver, CO",
    "Phoenix, AZ",
    "Seattle, WA",
    "San Francisco, CA",
    "San Francisco, CA",
    "Los Angeles, CA",
    "San Diego, CA",
    "Minneapolis, MN",
    "Columbus, OH",
    "Nashville, TN",
    "Philadelphia, PA",
    "Pittsburgh, PA",
    "Salt Lake City, UT",
    "Raleigh, NC",
    "Portland, OR",
    "Stamford, CT",
)

AREA_CODES: tuple[str, ...] = words(
    """
    212 646 917 201 617 312 512 214 713 404 704 305 303 602 206 415 213 619 612 614 615 215
    412 801
    """
)

COLLEGES: tuple[str, ...] = (
    "the University of Michigan",
    "Cornell",
    "NYU",
    "Boston University",
    "Georgetown",
    "the University of Texas at Austin",
    "Penn State",
    "Ohio State",
    "UCLA",
    "Rutgers",
    "the University of Illinois",
    "Northeastern",
    "Duke",
    "Emory",
    "the University of Florida",
    "Purdue",
    "Villanova",
    "Notre Dame",
    "the University of Wisconsin",
    "Howard University",
    "Fordham",
    "Baruch College",
    "Babson College",
    "Indiana University",
    "Arizona State",
)

KIDS: tuple[str, ...] = words(
    """
    Emma Olivia Liam Noah Sophia Mia Lucas Ava Ella Jack Leo Isla Henry Aria Max Lily Sam
    Nina Ben Rosie
    """
)
